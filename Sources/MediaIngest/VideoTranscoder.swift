import CFFmpeg

#if canImport(Glibc)
    import Glibc
#endif

/// Re-encodes one video stream to H.264 (libx264, yuv420p, High profile) for HLS: an IDR frame at every
/// segment boundary and no other key frame, a VBV cap on the peak bit rate, deterministic output.
///
/// Feed it the demuxed packets of the stream in order (`transcode`), then call `finish`; the packets it
/// returns are in `timeBase`. Used from one thread at a time.
final class VideoTranscoder {
    private let settings: TranscodeSettings
    private let decoder: CodecContext
    private let encoder: CodecContext
    /// The encoder's time base: one tick per frame when the input's frame rate is known.
    let timeBase: AVRational
    /// Whether one tick of `timeBase` is one frame, so that a packet lasts one tick.
    private let tickIsFrame: Bool
    let width: Int32
    let height: Int32

    private let decoded = Frame()
    /// The yuv420p picture at the output size, when the decoded pictures need converting.
    private let converted = Frame()
    private var converter: OpaquePointer?
    private var converterSource: (width: Int32, height: Int32, format: Int32)?

    /// The last timestamp sent to the encoder, in `timeBase`; timestamps must increase strictly.
    private var lastPTS: Int64?
    /// The index k of the next segment boundary, `timelineStart + timeline.boundary(k)`.
    private var nextBoundary: Int64 = 0
    private var framesEncoded = 0
    private var finished = false

    /// The encoder, for the output stream: copy it with `avcodec_parameters_from_context` into the output
    /// stream's `codecpar` and set the stream's time base to `timeBase`.
    var encoderContext: UnsafeMutablePointer<AVCodecContext> { encoder.pointer }

    /// Packets the decoder rejected as invalid data and skipped.
    var rejectedPackets: Int { decoder.rejectedPackets }

    /// Opens a decoder for `stream` (an input stream) and the libx264 encoder.
    init(stream: UnsafeMutablePointer<AVStream>, settings: TranscodeSettings) throws(FFmpegError) {
        self.settings = settings
        decoder = try CodecContext.decoder(for: stream, threads: settings.threads)
        // swift-format-ignore: NeverForceUnwrap
        let parameters = stream.pointee.codecpar!  // every stream of an opened input has parameters

        encoder = try CodecContext.encoder(named: "libx264", kind: "H.264")
        let context = encoder.pointer

        // Keep the size; H.264 4:2:0 needs even dimensions.
        width = parameters.pointee.width & ~1
        height = parameters.pointee.height & ~1
        guard width > 0, height > 0 else {
            throw FFmpegError(
                "reading the picture size of the \(decoder.name) stream "
                    + "(\(parameters.pointee.width)x\(parameters.pointee.height))",
                code: CodecContext.invalidData)
        }

        let frameRate = Self.frameRate(of: stream)
        if let frameRate {
            timeBase = AVRational(num: frameRate.den, den: frameRate.num)
            tickIsFrame = true
            context.pointee.framerate = frameRate
        } else {
            timeBase = stream.pointee.time_base
            tickIsFrame = false
        }
        context.pointee.time_base = timeBase
        context.pointee.width = width
        context.pointee.height = height
        context.pointee.pix_fmt = AV_PIX_FMT_YUV420P
        let aspect =
            stream.pointee.sample_aspect_ratio.isValid
            ? stream.pointee.sample_aspect_ratio : parameters.pointee.sample_aspect_ratio
        if aspect.isValid { context.pointee.sample_aspect_ratio = aspect }
        context.pointee.color_primaries = parameters.pointee.color_primaries
        context.pointee.color_trc = parameters.pointee.color_trc
        context.pointee.colorspace = parameters.pointee.color_space
        // The scaler turns full-range (JPEG) input into limited range along with the pixel format.
        let sourceFormat = AVPixelFormat(rawValue: parameters.pointee.format)
        let fullRangeFormats = [AV_PIX_FMT_YUVJ420P, AV_PIX_FMT_YUVJ422P, AV_PIX_FMT_YUVJ444P, AV_PIX_FMT_YUVJ440P]
        context.pointee.color_range =
            fullRangeFormats.contains(sourceFormat) ? AVCOL_RANGE_MPEG : parameters.pointee.color_range

        // Key frames only where `transcode` forces them: a GOP far longer than a segment, no scene cuts.
        let segmentFrames = settings.segmentDuration * (frameRate.map { Double($0.num) / Double($0.den) } ?? 60)
        let keyInterval = Int32(clamping: Int(min(max(segmentFrames.rounded(.up), 1) * 10, 100_000)))
        context.pointee.gop_size = keyInterval
        context.pointee.keyint_min = keyInterval
        // Capped CRF: constant quality, with the peak bit rate bounded for streaming.
        let maximumBitRate = Self.maximumBitRate(height: Int(height))
        context.pointee.rc_max_rate = Int64(maximumBitRate)
        context.pointee.rc_buffer_size = Int32(clamping: 2 * maximumBitRate)
        context.pointee.thread_count = Int32(clamping: settings.threads)
        context.pointee.flags |= AV_CODEC_FLAG_BITEXACT
        if settings.globalHeader { context.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }

        let options: [(String, String)] = [
            ("preset", "veryfast"), ("profile", "high"), ("crf", "23"), ("forced-idr", "1"),
            ("x264-params", "scenecut=0"),
        ]
        for (option, value) in options {
            try FFmpegError.check(
                ff.av_opt_set(context.pointee.priv_data, option, value, 0),
                "setting the libx264 option \(option)=\(value)")
        }
        try encoder.openEncoder()
    }

    deinit {
        ff.sws_freeContext(converter)
    }

    /// The VBV cap for the output height, in bits/s; the buffer is twice as large.
    static func maximumBitRate(height: Int) -> Int {
        switch height {
        case ...360: 1_000_000
        case ...480: 1_500_000
        case ...720: 3_000_000
        case ...1080: 6_000_000
        default: 12_000_000
        }
    }

    /// The stream's frame rate, if the demuxer knows a plausible one: the average rate, else the real base
    /// rate (which is the field rate for some interlaced streams, hence second).
    private static func frameRate(of stream: UnsafeMutablePointer<AVStream>) -> AVRational? {
        for rate in [stream.pointee.avg_frame_rate, stream.pointee.r_frame_rate] where rate.isValid {
            let perSecond = Double(rate.num) / Double(rate.den)
            if perSecond >= 1, perSecond <= 1000 { return rate }
        }
        return nil
    }

    /// Feeds one demuxed packet (timestamps in the input stream's time base); returns the encoded packets
    /// now ready, in `timeBase`, with `stream_index` left for the caller to set.
    func transcode(_ packet: Packet) throws(FFmpegError) -> [Packet] {
        precondition(!finished, "VideoTranscoder.transcode after finish")
        var packets: [Packet] = []
        try decoder.decode(packet.pointer, into: decoded) { (frame) throws(FFmpegError) in
            packets += try encode(frame)
        }
        return packets
    }

    /// End of input: drains the decoder and the encoder.
    func finish() throws(FFmpegError) -> [Packet] {
        if finished { return [] }
        finished = true
        var packets: [Packet] = []
        try decoder.decode(nil, into: decoded) { (frame) throws(FFmpegError) in
            packets += try encode(frame)
        }
        if framesEncoded == 0, let rejection = decoder.lastRejection { throw rejection }
        let drained = try encoder.encode(nil)
        for packet in drained { fillDuration(packet) }
        return packets + drained
    }

    /// Stamps a decoded frame for the encoder, converts it if needed, and encodes it.
    private func encode(_ frame: UnsafeMutablePointer<AVFrame>) throws(FFmpegError) -> [Packet] {
        let best = frame.pointee.best_effort_timestamp
        let pts: Int64
        if best != shoal_nopts_value {
            pts = rescale(best, from: decoder.pointer.pointee.pkt_timebase, to: timeBase)
        } else if let lastPTS {
            pts = lastPTS + (tickIsFrame ? 1 : 0)
        } else {
            pts = Int64((settings.timelineStart * Double(timeBase.den) / Double(timeBase.num)).rounded())
        }
        if let lastPTS, pts <= lastPTS { return [] }  // encoders need strictly increasing timestamps
        lastPTS = pts

        // Segment boundaries are in input time: rounding to the frame grid of `timeBase` could move a frame
        // from just after a boundary to just before it.
        let time =
            best != shoal_nopts_value ? decoder.pointer.pointee.pkt_timebase.seconds(best) : timeBase.seconds(pts)
        let input = try convertIfNeeded(frame)
        input.pointee.pts = pts
        input.pointee.pict_type = isSegmentStart(time) ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE
        framesEncoded += 1
        let packets = try encoder.encode(input)
        for packet in packets { fillDuration(packet) }
        return packets
    }

    /// Whether the frame at `time` (seconds of input time) is the first at or after the next segment
    /// boundary; moves on to the boundary after it (skipping any that a gap in the input jumped over).
    private func isSegmentStart(_ time: Double) -> Bool {
        let boundary = settings.timelineStart + settings.timeline.boundary(Int(nextBoundary))
        // A microsecond of slack for the rounding of the boundaries in floating point.
        guard time >= boundary - 1e-6 else { return false }
        let next = settings.timeline.nextBoundaryIndex(after: time - settings.timelineStart + 1e-6)
        nextBoundary = max(nextBoundary + 1, Int64(next))
        return true
    }

    /// The decoded frame itself when it is already yuv420p at the output size, else a converted copy.
    private func convertIfNeeded(
        _ frame: UnsafeMutablePointer<AVFrame>
    ) throws(FFmpegError) -> UnsafeMutablePointer<AVFrame> {
        let source = (width: frame.pointee.width, height: frame.pointee.height, format: frame.pointee.format)
        if source.width == width, source.height == height, source.format == AV_PIX_FMT_YUV420P.rawValue {
            return frame
        }
        let formatName = ff.av_get_pix_fmt_name(AVPixelFormat(rawValue: source.format)).map { String(cString: $0) }
        let what =
            "converting \(formatName ?? "pixel format \(source.format)") \(source.width)x\(source.height) "
            + "to yuv420p \(width)x\(height)"
        if converterSource.map({ $0 != source }) ?? true {
            ff.sws_freeContext(converter)
            converter = nil
            converterSource = nil
            // Bit-exact, accurately rounded C code: the same pictures on every CPU.
            let flags = SWS_BICUBIC | SWS_BITEXACT | SWS_ACCURATE_RND
            guard
                let created = ff.sws_getContext(
                    source.width, source.height, AVPixelFormat(rawValue: source.format), width, height,
                    AV_PIX_FMT_YUV420P, Int32(flags), nil, nil, nil)
            else { throw FFmpegError(what, code: 0 &- EINVAL) }
            converter = created
            converterSource = source
        }
        let output = converted.pointer
        if output.pointee.format != AV_PIX_FMT_YUV420P.rawValue {
            output.pointee.format = AV_PIX_FMT_YUV420P.rawValue
            output.pointee.width = width
            output.pointee.height = height
            try FFmpegError.check(ff.av_frame_get_buffer(output, 0), "allocating a yuv420p picture for \(what)")
        }
        // The encoder may still hold a reference to the previous picture.
        try FFmpegError.check(ff.av_frame_make_writable(output), "allocating a yuv420p picture for \(what)")
        let sourceData = frame.pointee.data
        let sourceLines = frame.pointee.linesize
        let outputData = output.pointee.data
        let outputLines = output.pointee.linesize
        let scaled = withUnsafeBytes(of: sourceData) { sourcePlanes in
            withUnsafeBytes(of: sourceLines) { sourceStrides in
                withUnsafeBytes(of: outputData) { outputPlanes in
                    withUnsafeBytes(of: outputLines) { outputStrides in
                        ff.sws_scale(
                            converter,
                            sourcePlanes.baseAddress?.assumingMemoryBound(to: UnsafePointer<UInt8>?.self),
                            sourceStrides.baseAddress?.assumingMemoryBound(to: Int32.self), 0, source.height,
                            outputPlanes.baseAddress?.assumingMemoryBound(to: UnsafeMutablePointer<UInt8>?.self),
                            outputStrides.baseAddress?.assumingMemoryBound(to: Int32.self))
                    }
                }
            }
        }
        try FFmpegError.check(scaled, what)
        return output
    }

    /// libx264 leaves packet durations at 0; with one tick per frame, a packet lasts one tick.
    private func fillDuration(_ packet: Packet) {
        if tickIsFrame, packet.pointer.pointee.duration == 0 { packet.pointer.pointee.duration = 1 }
    }
}
