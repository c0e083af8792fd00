import CFFmpeg

/// Reads what a media file holds: container, streams, codecs, duration and the video key frames.
public enum MediaProbe {
    /// Probes `path`. Key frames come from the container's index when it lists every sample (MP4, MOV),
    /// otherwise from one pass over the video packets (Matroska's cues are read late and need not list
    /// every key frame, MPEG-TS has no index).
    public static func probe(path: String, audioTrack: Int? = nil) throws(IngestError) -> MediaInfo {
        try loadLibraries()
        let input = try open(path)
        var info = describe(input)
        guard let selection = try? StreamSelection.choose(from: info.streams, audioTrack: audioTrack) else {
            return info
        }
        let stream = input.stream(selection.video.index)
        if info.container.hasPrefix("mov,"), let indexed = indexedKeyFrames(stream), let first = indexed.first {
            // The index holds decode times; segments are cut on presentation times, which run later by the
            // reorder delay of B-frames. The first key frame's packet tells the offset.
            let firstPacket = try keyFrames(in: input, streamIndex: selection.video.index, limit: 1).first
            let offset = firstPacket.map { $0 - first } ?? 0
            info.videoKeyFrames = indexed.map { $0 + offset }
        } else {
            info.videoKeyFrames = try keyFrames(in: input, streamIndex: selection.video.index)
        }
        return info
    }

    static func loadLibraries() throws(IngestError) {
        do {
            _ = try FFmpegLibraries.shared()
        } catch {
            throw .libraries(error.description)
        }
    }

    /// Opens a file for reading, turning FFmpeg's failure into a cause a user can act on.
    static func open(_ path: String) throws(IngestError) -> InputFile {
        if let problem = FileCheck.readableRegularFile(path) { throw .unreadable(path, problem) }
        do {
            return try InputFile(path: path)
        } catch {
            let reason = FFmpegError.message(for: error.code)
            if let format = recognisedFormat(path) { throw .corrupt(path, "\(format): \(reason)") }
            throw .notMedia(path, reason)
        }
    }

    /// The container libavformat recognises from the first bytes alone (not the name), or nil: a file it
    /// recognises but cannot open is damaged or cut short rather than "not a video".
    static func recognisedFormat(_ path: String) -> String? {
        guard var head = VideoIngest.readFile(path, prefix: 1 << 20), !head.isEmpty else { return nil }
        let length = Int32(head.count)
        head += [UInt8](repeating: 0, count: Int(AVPROBE_PADDING_SIZE))
        return head.withUnsafeMutableBufferPointer { buffer -> String? in
            // No file name: its extension would count for a format even when the bytes do not.
            let noName: StaticString = ""
            let filename = UnsafeRawPointer(noName.utf8Start).assumingMemoryBound(to: CChar.self)
            var data = AVProbeData(filename: filename, buf: buffer.baseAddress, buf_size: length, mime_type: nil)
            var score: Int32 = AVPROBE_SCORE_RETRY
            guard let format = ff.av_probe_input_format2(&data, 1, &score) else { return nil }
            return String(cString: format.pointee.name)
        }
    }

    static func describe(_ input: InputFile) -> MediaInfo {
        let streams = (0..<input.streamCount).map { describeStream(input.stream($0), index: $0) }
        return MediaInfo(
            path: input.path, container: input.formatName, duration: input.duration, startTime: input.startTime,
            bitRate: input.bitRate, streams: streams, videoKeyFrames: [])
    }

    static func describeStream(_ stream: UnsafeMutablePointer<AVStream>, index: Int) -> StreamInfo {
        // swift-format-ignore: NeverForceUnwrap
        let parameters = stream.pointee.codecpar!.pointee  // always allocated by libavformat
        let kind: StreamInfo.Kind =
            switch parameters.codec_type {
            case AVMEDIA_TYPE_VIDEO: .video
            case AVMEDIA_TYPE_AUDIO: .audio
            case AVMEDIA_TYPE_SUBTITLE: .subtitle
            case AVMEDIA_TYPE_DATA: .data
            case AVMEDIA_TYPE_ATTACHMENT: .attachment
            default: .unknown
            }
        let rate = stream.pointee.avg_frame_rate.isValid ? stream.pointee.avg_frame_rate : stream.pointee.r_frame_rate
        let extradata: [UInt8] =
            if let bytes = parameters.extradata, parameters.extradata_size > 0 {
                Array(UnsafeBufferPointer(start: bytes, count: Int(parameters.extradata_size)))
            } else { [] }
        var pixelFormat: String?
        if kind == .video, parameters.format >= 0, let name = ff.av_get_pix_fmt_name(AVPixelFormat(parameters.format)) {
            pixelFormat = String(cString: name)
        }
        return StreamInfo(
            index: index, kind: kind, codec: codecName(parameters.codec_id),
            profile: parameters.profile == FF_PROFILE_UNKNOWN ? nil : Int(parameters.profile),
            width: Int(parameters.width), height: Int(parameters.height), pixelFormat: pixelFormat,
            frameRate: kind == .video && rate.isValid ? Double(rate.num) / Double(rate.den) : nil,
            sampleRate: Int(parameters.sample_rate), channels: Int(parameters.ch_layout.nb_channels),
            bitRate: parameters.bit_rate > 0 ? Int(parameters.bit_rate) : nil,
            isDefault: stream.pointee.disposition & AV_DISPOSITION_DEFAULT != 0,
            isAttachedPicture: stream.pointee.disposition & AV_DISPOSITION_ATTACHED_PIC != 0,
            language: nil, extradata: extradata)
    }

    static func codecName(_ id: AVCodecID) -> String {
        ff.avcodec_get_name(id).map { String(cString: $0) } ?? "unknown"
    }

    /// Key frame times from the demuxer's index, or nil when it has none.
    static func indexedKeyFrames(_ stream: UnsafeMutablePointer<AVStream>) -> [Double]? {
        let count = ff.avformat_index_get_entries_count(stream)
        guard count > 0 else { return nil }
        let timeBase = stream.pointee.time_base
        var times: [Double] = []
        for entry in 0..<count {
            guard let item = ff.avformat_index_get_entry(stream, entry),
                item.pointee.flags & AVINDEX_KEYFRAME != 0, item.pointee.timestamp != shoal_nopts_value
            else { continue }
            times.append(timeBase.seconds(item.pointee.timestamp))
        }
        return times.sorted()
    }

    /// Reads the packets of one stream of the probed file (the others are discarded unread) and notes the
    /// presentation times of its key frames, ascending: all of them, or the first `limit`.
    static func keyFrames(in input: InputFile, streamIndex: Int, limit: Int = .max) throws(IngestError) -> [Double] {
        for index in 0..<input.streamCount where index != streamIndex {
            input.stream(index).pointee.discard = AVDISCARD_ALL
        }
        let timeBase = input.stream(streamIndex).pointee.time_base
        let packet = Packet()
        var times: [Double] = []
        do {
            while times.count < limit, try input.read(into: packet) {
                defer { packet.unref() }
                guard packet.streamIndex == streamIndex, packet.isKeyFrame, let time = packet.time else { continue }
                times.append(timeBase.seconds(time))
            }
        } catch {
            throw .corrupt(input.path, FFmpegError.message(for: error.code))
        }
        return times.sorted()
    }
}
