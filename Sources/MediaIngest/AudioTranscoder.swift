import CFFmpeg

#if canImport(Glibc)
    import Glibc
#endif

/// Re-encodes one audio stream to AAC-LC (FFmpeg's native encoder) for HLS: mono stays mono, anything
/// else is mixed down to stereo, the sample rate is kept when AAC allows it (else 48 kHz), and the output
/// timestamps count samples continuously from the first decoded frame.
///
/// Feed it the demuxed packets of the stream in order (`transcode`), then call `finish`; the packets it
/// returns are in `timeBase` (1/sample rate). Used from one thread at a time.
final class AudioTranscoder {
    /// The sample rates the AAC encoder supports.
    static let aacSampleRates: [Int32] = [
        96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000,
    ]

    private let settings: TranscodeSettings
    private let decoder: CodecContext
    private let encoder: CodecContext
    /// 1/sample rate: packets are stamped in samples.
    let timeBase: AVRational
    let sampleRate: Int32
    let channels: Int32
    /// The encoder's frame size (1024 samples for AAC).
    private let frameSize: Int32

    private let decoded = Frame()
    /// The frame handed to the encoder, refilled from `fifo`.
    private let encoderFrame = Frame()
    /// Resampled planar float samples waiting to fill an encoder frame.
    private let fifo: OpaquePointer
    /// The resampler and the input it was made for (format, rate, channel order, count and mask).
    private var resampler: OpaquePointer?
    private var resamplerSource: ResamplerSource?
    /// One plane per output channel for the resampler's output before it goes into `fifo`.
    private var scratch: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>
    private var scratchStorage: UnsafeMutableRawPointer?
    private var scratchCapacity = 0

    /// The timestamp of the next sample sent to the encoder, in `timeBase`; set by the first decoded frame.
    private var nextPTS: Int64?
    private var finished = false

    private struct ResamplerSource: Equatable {
        var format: Int32
        var rate: Int32
        var order: UInt32
        var channels: Int32
        var mask: UInt64
    }

    /// The encoder, for the output stream: copy it with `avcodec_parameters_from_context` into the output
    /// stream's `codecpar` and set the stream's time base to `timeBase`.
    var encoderContext: UnsafeMutablePointer<AVCodecContext> { encoder.pointer }

    /// Packets the decoder rejected as invalid data and skipped.
    var rejectedPackets: Int { decoder.rejectedPackets }

    /// Opens a decoder for `stream` (an input stream) and the AAC encoder.
    init(stream: UnsafeMutablePointer<AVStream>, settings: TranscodeSettings) throws(FFmpegError) {
        self.settings = settings
        decoder = try CodecContext.decoder(for: stream, threads: settings.threads)
        // swift-format-ignore: NeverForceUnwrap
        let parameters = stream.pointee.codecpar!  // every stream of an opened input has parameters

        encoder = try CodecContext.encoder(named: "aac", kind: "AAC")
        let context = encoder.pointer

        let inputRate = parameters.pointee.sample_rate
        sampleRate = Self.aacSampleRates.contains(inputRate) ? inputRate : 48000
        channels = parameters.pointee.ch_layout.nb_channels == 1 ? 1 : 2
        timeBase = AVRational(num: 1, den: sampleRate)
        context.pointee.sample_fmt = AV_SAMPLE_FMT_FLTP
        context.pointee.sample_rate = sampleRate
        ff.av_channel_layout_default(&context.pointee.ch_layout, channels)
        context.pointee.bit_rate = channels == 1 ? 64000 : 128_000
        context.pointee.time_base = timeBase
        context.pointee.flags |= AV_CODEC_FLAG_BITEXACT
        if settings.globalHeader { context.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
        try encoder.openEncoder()
        frameSize = context.pointee.frame_size > 0 ? context.pointee.frame_size : 1024

        guard let fifo = ff.av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, channels, frameSize) else {
            throw FFmpegError("allocating the audio sample queue", code: 0 &- ENOMEM)
        }
        self.fifo = fifo
        scratch = .allocate(capacity: Int(channels))
        scratch.initialize(repeating: nil, count: Int(channels))

        let frame = encoderFrame.pointer
        frame.pointee.format = AV_SAMPLE_FMT_FLTP.rawValue
        frame.pointee.sample_rate = sampleRate
        frame.pointee.nb_samples = frameSize
        try FFmpegError.check(
            ff.av_channel_layout_copy(&frame.pointee.ch_layout, &context.pointee.ch_layout),
            "allocating an audio frame")
        try FFmpegError.check(ff.av_frame_get_buffer(frame, 0), "allocating an audio frame")
    }

    deinit {
        var owned = resampler
        ff.swr_free(&owned)
        ff.av_audio_fifo_free(fifo)
        scratch.deallocate()
        scratchStorage?.deallocate()
    }

    /// Feeds one demuxed packet (timestamps in the input stream's time base); returns the encoded packets
    /// now ready, in `timeBase`, with `stream_index` left for the caller to set.
    func transcode(_ packet: Packet) throws(FFmpegError) -> [Packet] {
        precondition(!finished, "AudioTranscoder.transcode after finish")
        var packets: [Packet] = []
        try decoder.decode(packet.pointer, into: decoded) { (frame) throws(FFmpegError) in
            try resample(frame)
            packets += try encodeQueued(final: false)
        }
        return packets
    }

    /// End of input: drains the decoder, the resampler (its last samples and the last partial frame) and
    /// the encoder.
    func finish() throws(FFmpegError) -> [Packet] {
        if finished { return [] }
        finished = true
        var packets: [Packet] = []
        try decoder.decode(nil, into: decoded) { (frame) throws(FFmpegError) in
            try resample(frame)
            packets += try encodeQueued(final: false)
        }
        if nextPTS == nil, let rejection = decoder.lastRejection { throw rejection }
        try drainResampler()
        packets += try encodeQueued(final: true)
        packets += try encoder.encode(nil)
        return packets
    }

    /// Converts a decoded frame to the output format and queues its samples in `fifo`.
    private func resample(_ frame: UnsafeMutablePointer<AVFrame>) throws(FFmpegError) {
        let inputSamples = frame.pointee.nb_samples
        guard inputSamples > 0 else { return }
        if nextPTS == nil {
            let best = frame.pointee.best_effort_timestamp
            nextPTS =
                best != shoal_nopts_value
                ? rescale(best, from: decoder.pointer.pointee.pkt_timebase, to: timeBase)
                : Int64((settings.timelineStart * Double(sampleRate)).rounded())
        }

        let layout = frame.pointee.ch_layout
        let source = ResamplerSource(
            format: frame.pointee.format, rate: frame.pointee.sample_rate, order: layout.order.rawValue,
            channels: layout.nb_channels, mask: layout.order == AV_CHANNEL_ORDER_NATIVE ? layout.u.mask : 0)
        if source != resamplerSource {
            // Samples still inside the old resampler belong before this frame's.
            try drainResampler()
            try makeResampler(for: frame, source: source)
        }

        let bound =
            Int(ff.swr_get_delay(resampler, Int64(sampleRate)))
            + (Int(inputSamples) * Int(sampleRate) + Int(source.rate) - 1) / Int(max(source.rate, 1)) + 32
        reserveScratch(bound)
        let input = UnsafeMutableRawPointer(frame.pointee.extended_data)?.assumingMemoryBound(
            to: UnsafePointer<UInt8>?.self)
        let converted = ff.swr_convert(resampler, scratch, Int32(clamping: scratchCapacity), input, inputSamples)
        try FFmpegError.check(converted, "resampling \(decoder.name) audio")
        try queue(converted)
    }

    private func makeResampler(
        for frame: UnsafeMutablePointer<AVFrame>, source: ResamplerSource
    ) throws(FFmpegError) {
        var old = resampler
        ff.swr_free(&old)
        resampler = nil
        resamplerSource = nil

        // A layout with only a channel count cannot be mixed down; assume the usual one for that count.
        var inputLayout = AVChannelLayout()
        defer { ff.av_channel_layout_uninit(&inputLayout) }
        if frame.pointee.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC {
            ff.av_channel_layout_default(&inputLayout, frame.pointee.ch_layout.nb_channels)
        } else {
            try FFmpegError.check(
                ff.av_channel_layout_copy(&inputLayout, &frame.pointee.ch_layout), "reading the channel layout")
        }
        let formatName = ff.av_get_sample_fmt_name(AVSampleFormat(rawValue: source.format)).map {
            String(cString: $0)
        }
        let what =
            "setting up the resampler from \(decoder.name) audio (\(formatName ?? "format \(source.format)"), "
            + "\(source.rate) Hz, \(source.channels) channels) to fltp \(sampleRate) Hz \(channels) channels"
        var created: OpaquePointer?
        try FFmpegError.check(
            ff.swr_alloc_set_opts2(
                &created, &encoder.pointer.pointee.ch_layout, AV_SAMPLE_FMT_FLTP, sampleRate, &inputLayout,
                AVSampleFormat(rawValue: source.format), source.rate, 0, nil), what)
        let initialised = ff.swr_init(created)
        if initialised < 0 {
            ff.swr_free(&created)
            throw FFmpegError(what, code: initialised)
        }
        resampler = created
        resamplerSource = source
    }

    /// Flushes the samples the resampler still holds into `fifo`.
    private func drainResampler() throws(FFmpegError) {
        guard resampler != nil else { return }
        reserveScratch(Int(ff.swr_get_delay(resampler, Int64(sampleRate))) + 32)
        while true {
            let converted = ff.swr_convert(resampler, scratch, Int32(clamping: scratchCapacity), nil, 0)
            try FFmpegError.check(converted, "resampling \(decoder.name) audio")
            if converted == 0 { return }
            try queue(converted)
        }
    }

    private func queue(_ samples: Int32) throws(FFmpegError) {
        guard samples > 0 else { return }
        let planes = UnsafeMutableRawPointer(scratch).assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
        let written = ff.av_audio_fifo_write(fifo, planes, samples)
        try FFmpegError.check(written, "queueing resampled audio")
    }

    /// Makes every plane of `scratch` hold at least `samples` floats.
    private func reserveScratch(_ samples: Int) {
        guard samples > scratchCapacity else { return }
        scratchStorage?.deallocate()
        let capacity = max(samples, 2 * scratchCapacity, 4096)
        let planeBytes = capacity * MemoryLayout<Float>.stride
        let storage = UnsafeMutableRawPointer.allocate(byteCount: planeBytes * Int(channels), alignment: 64)
        for channel in 0..<Int(channels) {
            scratch[channel] = (storage + channel * planeBytes).assumingMemoryBound(to: UInt8.self)
        }
        scratchStorage = storage
        scratchCapacity = capacity
    }

    /// Encodes the queued samples in frames of `frameSize`; with `final`, also the last, shorter frame.
    private func encodeQueued(final: Bool) throws(FFmpegError) -> [Packet] {
        var packets: [Packet] = []
        while true {
            let available = ff.av_audio_fifo_size(fifo)
            guard available >= frameSize || (final && available > 0) else { return packets }
            let count = min(available, frameSize)
            let frame = encoderFrame.pointer
            // The encoder may still hold a reference to the previous frame's buffers.
            try FFmpegError.check(ff.av_frame_make_writable(frame), "allocating an audio frame")
            let planes = UnsafeMutableRawPointer(frame.pointee.extended_data)?.assumingMemoryBound(
                to: UnsafeMutableRawPointer?.self)
            let read = ff.av_audio_fifo_read(fifo, planes, count)
            try FFmpegError.check(read, "reading queued audio")
            frame.pointee.nb_samples = read
            // swift-format-ignore: NeverForceUnwrap
            let pts = nextPTS!  // set by the first decoded frame, before any sample is queued
            frame.pointee.pts = pts
            nextPTS = pts + Int64(read)
            packets += try encoder.encode(frame)
        }
    }
}
