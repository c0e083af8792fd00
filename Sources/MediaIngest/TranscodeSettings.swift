/// How `VideoTranscoder` and `AudioTranscoder` re-encode a stream for HLS.
struct TranscodeSettings: Sendable {
    /// Seconds; sizes the encoder's GOP limit (key frames come only where they are forced).
    var segmentDuration: Double
    /// Where segments begin: the video encoder forces a key frame on the first frame at or after
    /// `timelineStart + timeline.boundary(k)` for every k ≥ 0, and nowhere else, so that each segment starts
    /// with an IDR frame.
    var timeline: SegmentTimeline
    /// Seconds of input stream time where the output timeline starts.
    var timelineStart: Double
    /// Sets `AV_CODEC_FLAG_GLOBAL_HEADER` (parameter sets in extradata): true for the MP4 muxer.
    var globalHeader: Bool
    /// Decoder and encoder threads; 0 lets FFmpeg choose from the number of cores. x264's output depends
    /// on its thread count, so byte-identical output across machines needs a fixed, non-zero value.
    var threads: Int

    init(
        segmentDuration: Double, fastStart: Bool = false, timelineStart: Double = 0, globalHeader: Bool = true,
        threads: Int = 0
    ) {
        self.segmentDuration = segmentDuration
        self.timeline = SegmentTimeline(target: segmentDuration, fastStart: fastStart)
        self.timelineStart = timelineStart
        self.globalHeader = globalHeader
        self.threads = threads
    }
}
