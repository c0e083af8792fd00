import CFFmpeg

/// An opened media file (libavformat demuxer), closed with the object.
final class InputFile {
    let context: UnsafeMutablePointer<AVFormatContext>
    let path: String

    /// Opens `path` and reads enough of it to know its streams.
    init(path: String) throws(FFmpegError) {
        var opened: UnsafeMutablePointer<AVFormatContext>?
        try FFmpegError.check(ff.avformat_open_input(&opened, path, nil, nil), "opening \(path)")
        // swift-format-ignore: NeverForceUnwrap
        let context = opened!  // set whenever avformat_open_input succeeds
        do {
            try FFmpegError.check(ff.avformat_find_stream_info(context, nil), "reading the streams of \(path)")
        } catch {
            var owned: UnsafeMutablePointer<AVFormatContext>? = context
            ff.avformat_close_input(&owned)
            throw error
        }
        self.context = context
        self.path = path
    }

    deinit {
        var owned: UnsafeMutablePointer<AVFormatContext>? = context
        ff.avformat_close_input(&owned)
    }

    var streamCount: Int { Int(context.pointee.nb_streams) }

    func stream(_ index: Int) -> UnsafeMutablePointer<AVStream> {
        // swift-format-ignore: NeverForceUnwrap
        context.pointee.streams[index]!  // libavformat fills all nb_streams entries
    }

    /// The short name of the demuxer that read the file, e.g. "mov,mp4,m4a,3gp,3g2,mj2" or "matroska,webm".
    var formatName: String {
        context.pointee.iformat.map { String(cString: $0.pointee.name) } ?? "unknown"
    }

    /// Seconds, or nil when the container does not say.
    var duration: Double? {
        let value = context.pointee.duration
        guard value != shoal_nopts_value, value > 0 else { return nil }
        return Double(value) / Double(AV_TIME_BASE)
    }

    /// Seconds of the first timestamp, 0 when unknown.
    var startTime: Double {
        let value = context.pointee.start_time
        guard value != shoal_nopts_value else { return 0 }
        return Double(value) / Double(AV_TIME_BASE)
    }

    /// Bits per second over the whole file, or nil when unknown.
    var bitRate: Int? { context.pointee.bit_rate > 0 ? Int(context.pointee.bit_rate) : nil }

    /// Reads the next packet into `packet`; false at the end of the file.
    func read(into packet: Packet) throws(FFmpegError) -> Bool {
        let code = ff.av_read_frame(context, packet.pointer)
        if code == shoal_averror_eof { return false }
        try FFmpegError.check(code, "reading \(path)")
        return true
    }

    /// The index of the stream libavformat thinks best of `type`, or nil.
    func bestStream(_ type: AVMediaType, related: Int32 = -1) -> Int? {
        let index = ff.av_find_best_stream(context, type, -1, related, nil, 0)
        return index >= 0 ? Int(index) : nil
    }
}
