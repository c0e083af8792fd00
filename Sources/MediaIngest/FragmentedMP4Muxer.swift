import CFFmpeg

/// libavformat's MP4 muxer writing CMAF fragments into memory: the caller decides where each
/// fragment ends (`flushFragment`) and what file its bytes go to.
final class FragmentedMP4Muxer {
    let context: UnsafeMutablePointer<AVFormatContext>
    private let output: Output
    private var sourceTimeBases: [AVRational] = []

    /// Where the muxer's bytes go: collected (until the init segment is split off), or handed on as they
    /// come, in chunks of up to `bufferSize`, still in the CPU cache.
    final class Output {
        var bytes: [UInt8] = []
        var forward: ((UnsafeRawBufferPointer) -> Void)?
    }

    /// 128 KiB: the muxer's writes are buffered this much before they reach `Output` (and a file).
    static let bufferSize: Int32 = 128 * 1024

    /// Fragment on demand (`frag_custom`); the moov after the first fragment is known, so codec settings
    /// found only in packets (ADTS AAC from MPEG-TS) are in it (`delay_moov`); CMAF brands; moof-relative
    /// offsets; no trailing mfra index (segments are separate files).
    static let movflags = "+frag_custom+delay_moov+default_base_moof+cmaf+skip_trailer"

    init() throws(FFmpegError) {
        var created: UnsafeMutablePointer<AVFormatContext>?
        try FFmpegError.check(ff.avformat_alloc_output_context2(&created, nil, "mp4", nil), "setting up the MP4 muxer")
        // swift-format-ignore: NeverForceUnwrap
        let context = created!  // set on success
        // Same input, same options, same bytes: no encoder version strings, no dates.
        context.pointee.flags |= AVFMT_FLAG_BITEXACT
        output = Output()
        let buffer = ff.av_malloc(Int(Self.bufferSize))?.assumingMemoryBound(to: UInt8.self)
        let opaque = Unmanaged.passUnretained(output).toOpaque()
        guard let buffer,
            let io = ff.avio_alloc_context(
                buffer, Self.bufferSize, 1, opaque, nil,
                { opaque, bytes, count in
                    guard let opaque, let bytes, count > 0 else { return 0 }
                    let output = Unmanaged<FragmentedMP4Muxer.Output>.fromOpaque(opaque).takeUnretainedValue()
                    let chunk = UnsafeRawBufferPointer(start: bytes, count: Int(count))
                    if let forward = output.forward { forward(chunk) } else { output.bytes.append(contentsOf: chunk) }
                    return count
                }, nil)
        else {
            ff.avformat_free_context(context)
            throw FFmpegError("setting up the MP4 muxer's output", code: -12)
        }
        context.pointee.pb = io
        self.context = context
    }

    deinit {
        if let io = context.pointee.pb {
            ff.av_free(io.pointee.buffer)
            var owned: UnsafeMutablePointer<AVIOContext>? = io
            ff.avio_context_free(&owned)
            context.pointee.pb = nil
        }
        ff.avformat_free_context(context)
    }

    /// Adds a stream copied from `parameters`, whose packets come in `timeBase`; returns its index.
    func addStream(
        copying parameters: UnsafePointer<AVCodecParameters>, timeBase: AVRational
    ) throws(FFmpegError)
        -> Int
    {
        let stream = try newStream()
        try FFmpegError.check(
            ff.avcodec_parameters_copy(stream.pointee.codecpar, parameters), "copying stream settings")
        // A container's own tag (an AVI FourCC, say) means nothing to MP4; the muxer picks its own.
        stream.pointee.codecpar.pointee.codec_tag = 0
        stream.pointee.time_base = timeBase
        sourceTimeBases.append(timeBase)
        return Int(stream.pointee.index)
    }

    /// Adds a stream fed by an opened encoder.
    func addStream(encoder: UnsafeMutablePointer<AVCodecContext>) throws(FFmpegError) -> Int {
        let stream = try newStream()
        try FFmpegError.check(
            ff.avcodec_parameters_from_context(stream.pointee.codecpar, encoder), "copying encoder settings")
        stream.pointee.time_base = encoder.pointee.time_base
        sourceTimeBases.append(encoder.pointee.time_base)
        return Int(stream.pointee.index)
    }

    private func newStream() throws(FFmpegError) -> UnsafeMutablePointer<AVStream> {
        guard let stream = ff.avformat_new_stream(context, nil) else {
            throw FFmpegError("adding a stream to the MP4 muxer", code: -12)
        }
        return stream
    }

    func writeHeader() throws(FFmpegError) {
        var options: OpaquePointer?
        defer { ff.av_dict_free(&options) }
        _ = ff.av_dict_set(&options, "movflags", Self.movflags, 0)
        try FFmpegError.check(ff.avformat_write_header(context, &options), "starting the MP4 output")
    }

    /// Writes a packet of stream `index`, timestamps in the time base the stream was added with.
    func write(_ packet: Packet, stream index: Int) throws(FFmpegError) {
        packet.streamIndex = index
        // swift-format-ignore: NeverForceUnwrap
        let stream = context.pointee.streams[index]!
        packet.rescale(from: sourceTimeBases[index], to: stream.pointee.time_base)
        try FFmpegError.check(ff.av_write_frame(context, packet.pointer), "writing the MP4 fragments")
    }

    /// From now on, bytes go to `handler` as the muxer writes them instead of being collected.
    func forward(to handler: @escaping (UnsafeRawBufferPointer) -> Void) {
        output.forward = handler
    }

    /// Ends the current fragment and returns every byte written since the last call (none once forwarding).
    func flushFragment() throws(FFmpegError) -> [UInt8] {
        try FFmpegError.check(ff.av_write_frame(context, nil), "ending an MP4 fragment")
        if !wroteMovie {
            // With delay_moov the first flush writes only the moov; the fragment needs a second one.
            wroteMovie = true
            try FFmpegError.check(ff.av_write_frame(context, nil), "ending an MP4 fragment")
        }
        return take()
    }
    private var wroteMovie = false

    /// Ends the output; what the trailer writes is discarded (there is no index to keep).
    func finish() throws(FFmpegError) {
        try FFmpegError.check(ff.av_write_trailer(context), "ending the MP4 output")
        _ = take()
    }

    private func take() -> [UInt8] {
        if let io = context.pointee.pb { ff.avio_flush(io) }
        defer { output.bytes = [] }
        return output.bytes
    }

    /// The stream's codec settings as the muxer ended up with them (after bitstream filters).
    func parameters(ofStream index: Int) -> UnsafeMutablePointer<AVCodecParameters>? {
        context.pointee.streams[index]?.pointee.codecpar
    }
}
