import CFFmpeg
import HLS

/// Reads the chosen streams of a file, copies or re-encodes them, and cuts the result into CMAF
/// segments at video key frames, handing each finished segment (and the init segment) to the caller.
///
/// Video drives the cuts, in decode order: a key frame at or after the next planned cut time ends the
/// segment. Audio is assigned by its own timestamps, so audio that the container (or an encoder's
/// delay) puts before or after the video still lands in the segment of its time: audio past the next
/// possible cut waits in a queue, and a cut waits (holding the video after it) until audio has caught up.
final class Segmenter {
    /// A packet on its way to the muxer.
    struct Item {
        var packet: Packet
        /// Seconds on the input's clock.
        var time: Double
        var isKeyFrame: Bool
    }

    /// One output stream and where its packets come from.
    final class Track {
        let inputIndex: Int
        let outputIndex: Int
        /// Time base of the packets handed to the muxer (the input's, or the encoder's).
        let timeBase: AVRational
        let transcoder: (any StreamTranscoder)?

        init(inputIndex: Int, outputIndex: Int, timeBase: AVRational, transcoder: (any StreamTranscoder)?) {
            self.inputIndex = inputIndex
            self.outputIndex = outputIndex
            self.timeBase = timeBase
            self.transcoder = transcoder
        }
    }

    /// A cut waits at most this much video for audio to catch up (audio that stops early, say).
    static let maximumHold = 10.0

    let input: InputFile
    let muxer: FragmentedMP4Muxer
    let video: Track
    let audio: Track?
    /// Input seconds of the first video key frame: the start of the output timeline.
    let start: Double
    private let cuts: [Double]
    private var nextCut = 0

    private var pendingCut: Item?
    private var heldVideo: [Item] = []
    private var audioQueue: [Item] = []
    private var audioLatest = -Double.infinity
    private var audioEnded = false
    private var videoStarted = false
    /// Video ticks (`video.timeBase`) where the current segment starts, and the latest end of any packet.
    private var segmentStartTick: Int64?
    private var endTick: Int64 = .min
    private var initSegment: [UInt8]?

    /// The init segment, once (at the end of the first segment).
    var onInitSegment: ([UInt8]) throws -> Void = { _ in }
    /// Bytes of the current segment as the muxer writes them.
    var onSegmentBytes: (UnsafeRawBufferPointer) -> Void = { _ in }
    /// The current segment is complete: its duration in seconds.
    var onSegmentEnd: (_ duration: Double) throws -> Void = { _ in }

    init(input: InputFile, plan: IngestPlan, start: Double, cuts: [Double], settings: TranscodeSettings) throws {
        self.input = input
        self.start = start
        self.cuts = cuts
        let muxer = try FragmentedMP4Muxer()
        func track(_ plan: StreamPlan, isVideo: Bool) throws -> Track {
            let stream = input.stream(plan.stream.index)
            if plan.isCopied {
                let index = try muxer.addStream(copying: stream.pointee.codecpar, timeBase: stream.pointee.time_base)
                return Track(
                    inputIndex: plan.stream.index, outputIndex: index, timeBase: stream.pointee.time_base,
                    transcoder: nil)
            }
            let transcoder: any StreamTranscoder
            do {
                transcoder =
                    isVideo
                    ? try VideoTranscoder(stream: stream, settings: settings)
                    : try AudioTranscoder(stream: stream, settings: settings)
            } catch {
                throw IngestError.transcodeFailed(stream: plan.stream.label, reason: error.description)
            }
            let index = try muxer.addStream(encoder: transcoder.encoderContext)
            return Track(
                inputIndex: plan.stream.index, outputIndex: index, timeBase: transcoder.timeBase, transcoder: transcoder
            )
        }
        video = try track(plan.video, isVideo: true)
        audio = try plan.audio.map { try track($0, isVideo: false) }
        for index in 0..<input.streamCount where index != video.inputIndex && index != audio?.inputIndex {
            input.stream(index).pointee.discard = AVDISCARD_ALL
        }
        try muxer.writeHeader()
        self.muxer = muxer
    }

    /// Runs to the end of the input. `progress` gets the seconds of output timeline done so far.
    func run(progress: (Double) -> Void, isCancelled: () -> Bool) throws {
        let packet = Packet()
        var reported = -Double.infinity
        while true {
            if isCancelled() { throw IngestError.interrupted }
            let more: Bool
            do {
                more = try input.read(into: packet)
            } catch {
                throw IngestError.corrupt(input.path, FFmpegError.message(for: error.code))
            }
            guard more else { break }
            defer { packet.unref() }
            let track: Track
            if packet.streamIndex == video.inputIndex {
                track = video
            } else if let audio, packet.streamIndex == audio.inputIndex {
                track = audio
            } else {
                continue
            }
            guard let time = packet.time else { continue }
            let seconds = input.stream(track.inputIndex).pointee.time_base.seconds(time)
            if track === video {
                // A segment must start with a key frame: what comes before the first one cannot be decoded.
                if !videoStarted && !packet.isKeyFrame { continue }
                videoStarted = true
            } else if seconds < start - SegmentPlanner.tolerance {
                continue
            }
            try feed(packet, track: track)
            if seconds - reported >= 0.25 {
                reported = seconds
                progress(max(0, seconds - start))
            }
        }
        for track in [video, audio].compactMap({ $0 }) {
            if let transcoder = track.transcoder {
                for encoded in try transcoder.finish() { try emit(encoded, track: track) }
            }
        }
        audioEnded = true
        try releaseCut()
        try drainAudio(before: .infinity)
        guard let segmentStartTick, endTick > segmentStartTick else {
            throw IngestError.noVideoFrames(input.path)
        }
        try finishSegment(bytes: try muxer.flushFragment(), ticks: endTick - segmentStartTick)
        try muxer.finish()
    }

    private func feed(_ packet: Packet, track: Track) throws {
        guard let transcoder = track.transcoder else {
            let copy = Packet()
            ff.av_packet_move_ref(copy.pointer, packet.pointer)
            try emit(copy, track: track)
            return
        }
        for encoded in try transcoder.transcode(packet) { try emit(encoded, track: track) }
    }

    private func emit(_ packet: Packet, track: Track) throws {
        guard let time = packet.time else { return }
        let item = Item(packet: packet, time: track.timeBase.seconds(time), isKeyFrame: packet.isKeyFrame)
        if track === video {
            try emitVideo(item)
        } else {
            audioLatest = max(audioLatest, item.time)
            audioQueue.append(item)
            try drainAudio(before: audioBoundary)
        }
        try releaseCut()
    }

    private func emitVideo(_ item: Item) throws {
        if pendingCut != nil {
            heldVideo.append(item)
        } else if item.isKeyFrame, nextCut < cuts.count, item.time >= cuts[nextCut] - SegmentPlanner.tolerance {
            while nextCut < cuts.count && cuts[nextCut] <= item.time + SegmentPlanner.tolerance { nextCut += 1 }
            pendingCut = item
        } else {
            try write(item, track: video)
        }
    }

    /// Audio before this time belongs to the current segment whatever the video does next.
    private var audioBoundary: Double {
        if let pendingCut { return pendingCut.time }
        return nextCut < cuts.count ? cuts[nextCut] - SegmentPlanner.tolerance : .infinity
    }

    private func drainAudio(before boundary: Double) throws {
        guard let audio else { return }
        var written = 0
        for item in audioQueue {
            guard item.time < boundary else { break }
            try write(item, track: audio)
            written += 1
        }
        audioQueue.removeFirst(written)
    }

    /// Ends the segment at the pending cut once audio has caught up with it, then replays the held video.
    private func releaseCut() throws {
        while let cut = pendingCut {
            let heldSpan = (heldVideo.last?.time ?? cut.time) - cut.time
            guard
                audio == nil || audioEnded || audioLatest >= cut.time - SegmentPlanner.tolerance
                    || heldSpan > Self.maximumHold
            else { return }
            try drainAudio(before: cut.time)
            // swift-format-ignore: NeverForceUnwrap
            let cutTick = cut.packet.pts ?? cut.packet.dts!  // emitted items have a time
            if let segmentStartTick {
                try finishSegment(bytes: try muxer.flushFragment(), ticks: cutTick - segmentStartTick)
            }
            segmentStartTick = cutTick
            pendingCut = nil
            let held = heldVideo
            heldVideo = []
            try write(cut, track: video)
            for item in held { try emitVideo(item) }
            try drainAudio(before: audioBoundary)
        }
    }

    private func write(_ item: Item, track: Track) throws {
        if track === video && segmentStartTick == nil { segmentStartTick = item.packet.pts ?? item.packet.dts }
        if let time = item.packet.pts ?? item.packet.dts {
            let end = rescale(time + max(item.packet.duration, 0), from: track.timeBase, to: video.timeBase)
            endTick = max(endTick, end)
        }
        try muxer.write(item.packet, stream: track.outputIndex)
    }

    /// The first flush carries the init segment and the first fragment together: split them, then let
    /// the muxer hand every later byte straight on.
    private func finishSegment(bytes: [UInt8], ticks: Int64) throws {
        if initSegment == nil {
            let split = MP4Boxes.firstSegmentBox(in: bytes) ?? 0
            initSegment = Array(bytes[..<split])
            try onInitSegment(initSegment ?? [])
            bytes[split...].withUnsafeBytes { onSegmentBytes($0) }
            muxer.forward(to: { [onSegmentBytes] in onSegmentBytes($0) })
        }
        try onSegmentEnd(video.timeBase.seconds(ticks))
    }
}

/// What the segmenter needs of a re-encoder (VideoTranscoder, AudioTranscoder).
protocol StreamTranscoder: AnyObject {
    var encoderContext: UnsafeMutablePointer<AVCodecContext> { get }
    var timeBase: AVRational { get }
    func transcode(_ packet: Packet) throws(FFmpegError) -> [Packet]
    func finish() throws(FFmpegError) -> [Packet]
}

extension VideoTranscoder: StreamTranscoder {}
extension AudioTranscoder: StreamTranscoder {}

extension Segmenter {
    /// RFC 6381 codec strings of the output streams, from the codec settings the muxer wrote (after its
    /// bitstream filters: AAC from MPEG-TS has its AudioSpecificConfig only then).
    func codecStrings() -> [String] {
        var codecs: [String] = []
        if let parameters = muxer.parameters(ofStream: video.outputIndex)?.pointee {
            let extradata = Self.extradata(parameters)
            codecs.append(
                CodecString.avc(extradata: extradata)
                    ?? "avc1." + [parameters.profile, 0, parameters.level].map(Self.hexByte).joined())
        }
        if let audio, let parameters = muxer.parameters(ofStream: audio.outputIndex)?.pointee {
            // AAC profiles are audio object types minus one (FF_PROFILE_AAC_LOW = 1 is AOT 2).
            let fallback = "mp4a.40.\(parameters.profile >= 0 ? parameters.profile + 1 : 2)"
            codecs.append(CodecString.aac(audioSpecificConfig: Self.extradata(parameters)) ?? fallback)
        }
        return codecs
    }

    /// Width and height of the output video.
    func videoDimensions() -> (width: Int, height: Int)? {
        guard let parameters = muxer.parameters(ofStream: video.outputIndex)?.pointee, parameters.width > 0 else {
            return nil
        }
        return (Int(parameters.width), Int(parameters.height))
    }

    private static func extradata(_ parameters: AVCodecParameters) -> [UInt8] {
        guard let bytes = parameters.extradata, parameters.extradata_size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: bytes, count: Int(parameters.extradata_size)))
    }

    private static func hexByte(_ value: Int32) -> String {
        let byte = UInt8(truncatingIfNeeded: max(value, 0))
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }
}
