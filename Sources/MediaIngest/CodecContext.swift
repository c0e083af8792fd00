import CFFmpeg

#if canImport(Glibc)
    import Glibc
#endif

/// An owned `AVCodecContext` (a decoder or an encoder), freed with the object, with the send/receive loops
/// the transcoders share.
final class CodecContext {
    let pointer: UnsafeMutablePointer<AVCodecContext>
    /// The codec's name for error messages, e.g. "mpeg2video" or "libx264".
    let name: String
    /// Packets the decoder rejected as invalid data (skipped, as the ffmpeg command line does).
    private(set) var rejectedPackets = 0
    /// The error of the last rejected packet, reported when nothing at all could be decoded.
    private(set) var lastRejection: FFmpegError?
    private var flushed = false

    init(codec: UnsafePointer<AVCodec>, name: String) throws(FFmpegError) {
        guard let context = ff.avcodec_alloc_context3(codec) else {
            throw FFmpegError("allocating a codec context for \(name)", code: 0 &- ENOMEM)
        }
        self.pointer = context
        self.name = name
    }

    deinit {
        var owned: UnsafeMutablePointer<AVCodecContext>? = pointer
        ff.avcodec_free_context(&owned)
    }

    /// A new, unopened encoder found by its FFmpeg name (`kind` says what it is in the error, e.g. "H.264").
    static func encoder(named name: String, kind: String) throws(FFmpegError) -> CodecContext {
        guard let codec = ff.avcodec_find_encoder_by_name(name) else {
            throw FFmpegError("this FFmpeg build has no \(name) \(kind) encoder", code: encoderNotFound)
        }
        let context = try CodecContext(codec: codec, name: name)
        context.codec = codec
        return context
    }

    /// The codec the context was made for.
    private(set) var codec: UnsafePointer<AVCodec>?

    /// Opens an encoder made by `encoder(named:kind:)` once its settings are in place.
    func openEncoder() throws(FFmpegError) {
        try FFmpegError.check(ff.avcodec_open2(pointer, codec, nil), "opening the \(name) encoder")
    }

    /// An opened decoder for `stream`, whose packets carry timestamps in the stream's time base.
    static func decoder(for stream: UnsafeMutablePointer<AVStream>, threads: Int) throws(FFmpegError) -> CodecContext {
        // swift-format-ignore: NeverForceUnwrap
        let parameters = stream.pointee.codecpar!  // every stream of an opened input has parameters
        let name = ff.avcodec_get_name(parameters.pointee.codec_id).map { String(cString: $0) } ?? "unknown codec"
        guard let codec = ff.avcodec_find_decoder(parameters.pointee.codec_id) else {
            throw FFmpegError("this FFmpeg build has no decoder for \(name)", code: decoderNotFound)
        }
        let context = try CodecContext(codec: codec, name: name)
        try FFmpegError.check(
            ff.avcodec_parameters_to_context(context.pointer, parameters),
            "reading the parameters of the \(name) stream")
        context.pointer.pointee.pkt_timebase = stream.pointee.time_base
        context.pointer.pointee.thread_count = Int32(clamping: threads)
        // Bit-exact IDCTs and float DSP: the same input decodes to the same pictures and samples on any CPU.
        context.pointer.pointee.flags |= AV_CODEC_FLAG_BITEXACT
        try FFmpegError.check(ff.avcodec_open2(context.pointer, codec, nil), "opening the \(name) decoder")
        return context
    }

    /// Sends `packet` to the decoder (nil: end of input, which drains it) and calls `body` with every frame
    /// that comes out; the frame is unreferenced after `body` returns. A packet the decoder rejects as
    /// invalid data is skipped and counted in `rejectedPackets`.
    func decode(
        _ packet: UnsafeMutablePointer<AVPacket>?, into frame: Frame,
        _ body: (UnsafeMutablePointer<AVFrame>) throws(FFmpegError) -> Void
    ) throws(FFmpegError) {
        if flushed { return }
        if packet == nil { flushed = true }
        while true {
            let sent = ff.avcodec_send_packet(pointer, packet)
            if sent == Self.invalidData {
                reject(sent)
                return
            }
            if sent != shoal_averror_eagain {
                try FFmpegError.check(sent, "decoding \(name)")
            }
            try receiveFrames(into: frame, body)
            if sent != shoal_averror_eagain { return }
        }
    }

    private func receiveFrames(
        into frame: Frame, _ body: (UnsafeMutablePointer<AVFrame>) throws(FFmpegError) -> Void
    ) throws(FFmpegError) {
        var errorsInARow = 0
        while true {
            let received = ff.avcodec_receive_frame(pointer, frame.pointer)
            if received == shoal_averror_eagain || received == shoal_averror_eof { return }
            // Frame-threaded decoders report a broken packet here rather than when it is sent.
            if received == Self.invalidData && errorsInARow < 64 {
                errorsInARow += 1
                reject(received)
                continue
            }
            try FFmpegError.check(received, "decoding \(name)")
            errorsInARow = 0
            defer { frame.unref() }
            try body(frame.pointer)
        }
    }

    private func reject(_ code: Int32) {
        rejectedPackets += 1
        lastRejection = FFmpegError("decoding \(name)", code: code)
    }

    /// Sends `frame` to the encoder (nil: end of input, which drains it) and returns the packets ready now.
    func encode(_ frame: UnsafeMutablePointer<AVFrame>?) throws(FFmpegError) -> [Packet] {
        if flushed { return [] }
        if frame == nil { flushed = true }
        try FFmpegError.check(ff.avcodec_send_frame(pointer, frame), "encoding with \(name)")
        var packets: [Packet] = []
        while true {
            let packet = Packet()
            let received = ff.avcodec_receive_packet(pointer, packet.pointer)
            if received == shoal_averror_eagain || received == shoal_averror_eof { return packets }
            try FFmpegError.check(received, "encoding with \(name)")
            packets.append(packet)
        }
    }

    /// FFmpeg's FFERRTAG: a four-character code, negated.
    private static func errorTag(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> Int32 {
        let tag = UInt32(a) | UInt32(b) << 8 | UInt32(c) << 16 | UInt32(d) << 24
        return 0 &- Int32(bitPattern: tag)
    }

    /// AVERROR_INVALIDDATA, AVERROR_DECODER_NOT_FOUND and AVERROR_ENCODER_NOT_FOUND (function-like macros,
    /// which Swift does not import).
    static let invalidData = errorTag(UInt8(ascii: "I"), UInt8(ascii: "N"), UInt8(ascii: "D"), UInt8(ascii: "A"))
    static let decoderNotFound = errorTag(0xF8, UInt8(ascii: "D"), UInt8(ascii: "E"), UInt8(ascii: "C"))
    static let encoderNotFound = errorTag(0xF8, UInt8(ascii: "E"), UInt8(ascii: "N"), UInt8(ascii: "C"))
}
