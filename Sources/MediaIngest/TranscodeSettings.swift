/// How `VideoTranscoder` and `AudioTranscoder` re-encode a stream for HLS.
struct TranscodeSettings: Sendable {
    /// Seconds; the video encoder forces a key frame at every multiple of it (from `timelineStart`) and
    /// nowhere else, so that each segment starts with an IDR frame.
    var segmentDuration: Double
    /// Seconds of input stream time where the output timeline starts: key frames are forced on the first
    /// frame at or after `timelineStart + k * segmentDuration` for every k ≥ 0.
    var timelineStart: Double
    /// Sets `AV_CODEC_FLAG_GLOBAL_HEADER` (parameter sets in extradata): true for the MP4 muxer.
    var globalHeader: Bool
    /// Decoder and encoder threads; 0 lets FFmpeg choose from the number of cores. x264's output depends
    /// on its thread count, so byte-identical output across machines needs a fixed, non-zero value.
    var threads: Int

    init(segmentDuration: Double, timelineStart: Double = 0, globalHeader: Bool = true, threads: Int = 0) {
        self.segmentDuration = segmentDuration
        self.timelineStart = timelineStart
        self.globalHeader = globalHeader
        self.threads = threads
    }
}
