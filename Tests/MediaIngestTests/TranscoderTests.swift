import CFFmpeg
import Foundation
import TestSupport
import Testing

@testable import MediaIngest

@Suite("VideoTranscoder and AudioTranscoder")
struct TranscoderTests {
    @Test("MPEG-2 video becomes H.264 with an IDR frame exactly at each segment boundary")
    func mpeg2VideoKeyFramesAtSegmentBoundaries() async throws {
        let directory = try TemporaryDirectory()
        let input = try await makeMPEG2Input(in: directory)
        let result = try transcode(input, segmentDuration: 2)
        let video = try #require(result.video)

        #expect(text(video.timeBase) == "1/25")
        #expect(video.width == 320 && video.height == 180)
        #expect(video.pixelFormat == AV_PIX_FMT_YUV420P.rawValue)
        #expect(video.maxRate == 1_000_000 && video.bufferSize == 2_000_000)
        #expect(video.profileIDC == 100, "High profile in the SPS")
        #expect(video.packets.count == 150)
        expectStrictlyIncreasingDTS(video.packets)
        #expect(video.packets.allSatisfy { $0.duration == 1 })
        #expect(abs(video.span - 6) < 0.05, "video spans \(video.span) s")
        expectKeyFrames(video, at: [0, 2, 4], frame: 1.0 / 25)
    }

    @Test("With a fast start the forced key frames follow the shorter first segments")
    func fastStartKeyFrames() async throws {
        let directory = try TemporaryDirectory()
        let input = try await makeMPEG2Input(in: directory)
        let video = try #require(try transcode(input, segmentDuration: 4, fastStart: true).video)
        // Targets 2, 2, then 4 s: boundaries at 0, 2, 4 (and 8, past the 6 s input).
        expectKeyFrames(video, at: [0, 2, 4], frame: 1.0 / 25)
    }

    @Test("MP2 audio becomes continuous 1024-sample AAC packets; mono stays mono")
    func mp2AudioBecomesAAC() async throws {
        let directory = try TemporaryDirectory()
        let input = try await makeMPEG2Input(in: directory)
        let audio = try #require(try transcode(input, segmentDuration: 2).audio)

        #expect(text(audio.timeBase) == "1/48000")
        #expect(audio.channels == 1 && audio.bitRate == 64000)
        expectContinuousAudio(audio)
        #expect(abs(audio.samples - 6 * 48000) <= 2048, "\(audio.samples) samples")
    }

    @Test("Transcoding the same input twice gives byte-identical packets")
    func deterministicOutput() async throws {
        let directory = try TemporaryDirectory()
        let input = try await makeMPEG2Input(in: directory)
        let first = try transcode(input, segmentDuration: 2)
        let second = try transcode(input, segmentDuration: 2)
        let video = try #require(first.video)
        #expect(!video.packets.isEmpty && !(first.audio?.packets.isEmpty ?? true))
        #expect(first.video?.packets == second.video?.packets)
        #expect(first.video?.extradata == second.video?.extradata)
        #expect(first.audio?.packets == second.audio?.packets)
        #expect(first.audio?.extradata == second.audio?.extradata)
    }

    @Test("Odd-sized full-range 4:2:2 video at 29.97 fps and 5.1 AC-3 at 44.1 kHz")
    func convertsPixelsAndMixesDown() async throws {
        let directory = try TemporaryDirectory()
        let input = try await makeInput(
            in: directory, name: "in.mkv",
            [
                "-f", "lavfi", "-i", "testsrc2=size=321x181:rate=30000/1001:duration=5",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=5",
                "-c:v", "mjpeg", "-pix_fmt", "yuvj422p", "-c:a", "ac3", "-ac", "6",
            ])
        let result = try transcode(input, segmentDuration: 2)
        let video = try #require(result.video)
        let audio = try #require(result.audio)

        #expect(text(video.timeBase) == "1001/30000")
        #expect(video.width == 320 && video.height == 180)
        #expect(video.pixelFormat == AV_PIX_FMT_YUV420P.rawValue)
        #expect(video.packets.count == 150)
        expectStrictlyIncreasingDTS(video.packets)
        expectKeyFrames(video, at: [0, 2, 4], frame: 1001.0 / 30000)

        #expect(audio.inputChannels == 6)
        #expect(text(audio.timeBase) == "1/44100")
        #expect(audio.channels == 2 && audio.bitRate == 128_000)
        expectContinuousAudio(audio)
        #expect(abs(audio.samples - 5 * 44100) <= 2048, "\(audio.samples) samples")
    }

    @Test("A sample rate AAC cannot use is resampled to 48 kHz")
    func resamplesUnsupportedRate() async throws {
        let directory = try TemporaryDirectory()
        let input = try await makeInput(
            in: directory, name: "in.wav",
            ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=37000:duration=3", "-c:a", "pcm_s16le"])
        let result = try transcode(input, segmentDuration: 2)
        #expect(result.video == nil && result.audio != nil)
        let audio = try #require(result.audio)
        #expect(text(audio.timeBase) == "1/48000")
        #expect(audio.channels == 1)
        expectContinuousAudio(audio)
        #expect(abs(audio.samples - 3 * 48000) <= 2048, "\(audio.samples) samples")
    }

    @Test("The peak bit rate cap grows with the picture height")
    func maximumBitRateByHeight() {
        #expect(VideoTranscoder.maximumBitRate(height: 180) == 1_000_000)
        #expect(VideoTranscoder.maximumBitRate(height: 360) == 1_000_000)
        #expect(VideoTranscoder.maximumBitRate(height: 480) == 1_500_000)
        #expect(VideoTranscoder.maximumBitRate(height: 576) == 3_000_000)
        #expect(VideoTranscoder.maximumBitRate(height: 720) == 3_000_000)
        #expect(VideoTranscoder.maximumBitRate(height: 1080) == 6_000_000)
        #expect(VideoTranscoder.maximumBitRate(height: 2160) == 12_000_000)
    }
}

// MARK: - Checks

private func expectStrictlyIncreasingDTS(_ packets: [EncodedPacket], sourceLocation: SourceLocation = #_sourceLocation)
{
    for (previous, next) in zip(packets, packets.dropFirst()) where next.dts <= previous.dts {
        Issue.record("dts \(next.dts) follows \(previous.dts)", sourceLocation: sourceLocation)
    }
    #expect(packets.allSatisfy { $0.pts >= $0.dts }, sourceLocation: sourceLocation)
}

/// Key frames at `times` (seconds after the timeline start) and nowhere else; within a frame, because the
/// output rounds the input timestamps to its frame grid.
private func expectKeyFrames(
    _ video: TranscodedStream, at times: [Double], frame: Double, sourceLocation: SourceLocation = #_sourceLocation
) {
    let keys = video.packets.filter(\.isKeyFrame).map { video.timeBase.seconds($0.pts) - video.timelineStart }
    #expect(keys.count == times.count, "key frames at \(keys)", sourceLocation: sourceLocation)
    for (key, time) in zip(keys, times) {
        #expect(abs(key - time) < frame, "key frame at \(key) for \(time)", sourceLocation: sourceLocation)
    }
}

private func expectContinuousAudio(_ audio: TranscodedStream, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(!audio.packets.isEmpty, sourceLocation: sourceLocation)
    for (previous, next) in zip(audio.packets, audio.packets.dropFirst()) {
        #expect(previous.duration == 1024, sourceLocation: sourceLocation)
        #expect(next.pts - previous.pts == 1024, "pts \(previous.pts) → \(next.pts)", sourceLocation: sourceLocation)
        #expect(next.dts > previous.dts, sourceLocation: sourceLocation)
    }
}

// MARK: - Running the transcoders on a real file

private struct EncodedPacket: Equatable {
    var pts: Int64
    var dts: Int64
    var duration: Int64
    var isKeyFrame: Bool
    var bytes: [UInt8]

    init(_ packet: Packet) {
        pts = packet.pts ?? .min
        dts = packet.dts ?? .min
        duration = packet.duration
        isKeyFrame = packet.isKeyFrame
        bytes = Array(UnsafeBufferPointer(start: packet.pointer.pointee.data, count: packet.size))
    }
}

private struct TranscodedStream {
    var timeBase: AVRational
    var timelineStart: Double
    var packets: [EncodedPacket] = []
    var extradata: [UInt8]
    var width: Int32
    var height: Int32
    var pixelFormat: Int32
    var maxRate: Int64
    var bufferSize: Int32
    var channels: Int32
    var inputChannels: Int32
    var bitRate: Int64

    init(
        encoder: UnsafeMutablePointer<AVCodecContext>, input: UnsafeMutablePointer<AVStream>, timeBase: AVRational,
        timelineStart: Double
    ) {
        let context = encoder.pointee
        self.timeBase = timeBase
        self.timelineStart = timelineStart
        extradata = Array(UnsafeBufferPointer(start: context.extradata, count: Int(context.extradata_size)))
        width = context.width
        height = context.height
        pixelFormat = context.pix_fmt.rawValue
        maxRate = context.rc_max_rate
        bufferSize = context.rc_buffer_size
        channels = context.ch_layout.nb_channels
        inputChannels = input.pointee.codecpar.pointee.ch_layout.nb_channels
        bitRate = context.bit_rate
    }

    /// Seconds from the first packet's start to the last packet's end.
    var span: Double {
        let start = packets.map(\.pts).min() ?? 0
        let end = packets.map { $0.pts + $0.duration }.max() ?? 0
        return timeBase.seconds(end - start)
    }

    var samples: Int { packets.reduce(0) { $0 + Int($1.duration) } }

    /// profile_idc of the SPS in the Annex B extradata (00 00 00 01 67 profile_idc ...).
    var profileIDC: UInt8? {
        guard
            let nal = extradata.indices.dropLast().first(where: {
                extradata[$0] & 0x1F == 7 && $0 >= 3 && extradata[$0 - 1] == 1 && extradata[$0 - 2] == 0
            })
        else { return nil }
        return extradata[nal + 1]
    }
}

private func text(_ rational: AVRational) -> String { "\(rational.num)/\(rational.den)" }

private struct TranscodeResult {
    var video: TranscodedStream?
    var audio: TranscodedStream?
}

/// Six seconds of MPEG-2 video at 25 fps with MP2 audio in MPEG-TS, the classic case for re-encoding.
private func makeMPEG2Input(in directory: TemporaryDirectory) async throws -> String {
    try await makeInput(
        in: directory, name: "in.ts",
        [
            "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=6",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=6",
            "-c:v", "mpeg2video", "-c:a", "mp2",
        ])
}

private func makeInput(in directory: TemporaryDirectory, name: String, _ arguments: [String]) async throws -> String {
    let ffmpeg = try ProcessRunner.which("ffmpeg", installHint: "ffmpeg")
    let output = directory.url.appendingPathComponent(name).path
    let result = try await ProcessRunner.run(ffmpeg, ["-v", "error", "-y"] + arguments + [output])
    #expect(result.exitCode == 0, "ffmpeg failed: \(result.standardError)")
    return output
}

/// Demuxes `path` with the raw FFmpeg table and runs the first video and audio streams through the
/// transcoders, the timeline starting at each stream's start time.
private func transcode(_ path: String, segmentDuration: Double, fastStart: Bool = false) throws -> TranscodeResult {
    _ = try FFmpegLibraries.shared()
    var format: UnsafeMutablePointer<AVFormatContext>?
    try FFmpegError.check(ff.avformat_open_input(&format, path, nil, nil), "opening \(path)")
    defer { ff.avformat_close_input(&format) }
    let context = try #require(format)
    try FFmpegError.check(ff.avformat_find_stream_info(context, nil), "reading stream info")

    var videoIndex: Int?
    var audioIndex: Int?
    var streams: [UnsafeMutablePointer<AVStream>] = []
    for index in 0..<Int(context.pointee.nb_streams) {
        streams.append(try #require(context.pointee.streams[index]))
        let type = streams[index].pointee.codecpar.pointee.codec_type
        if type == AVMEDIA_TYPE_VIDEO, videoIndex == nil { videoIndex = index }
        if type == AVMEDIA_TYPE_AUDIO, audioIndex == nil { audioIndex = index }
    }
    func start(of index: Int) -> Double {
        let stream = streams[index].pointee
        return stream.start_time == shoal_nopts_value ? 0 : stream.time_base.seconds(stream.start_time)
    }
    func settings(_ index: Int) -> TranscodeSettings {
        TranscodeSettings(
            segmentDuration: segmentDuration, fastStart: fastStart, timelineStart: start(of: index), globalHeader: true,
            threads: 0)
    }

    let video = try videoIndex.map { try VideoTranscoder(stream: streams[$0], settings: settings($0)) }
    let audio = try audioIndex.map { try AudioTranscoder(stream: streams[$0], settings: settings($0)) }
    var videoPackets: [EncodedPacket] = []
    var audioPackets: [EncodedPacket] = []

    let packet = Packet()
    while true {
        let code = ff.av_read_frame(context, packet.pointer)
        if code == shoal_averror_eof { break }
        try FFmpegError.check(code, "reading a packet")
        defer { packet.unref() }
        if packet.streamIndex == videoIndex, let video {
            videoPackets += try video.transcode(packet).map(EncodedPacket.init)
        } else if packet.streamIndex == audioIndex, let audio {
            audioPackets += try audio.transcode(packet).map(EncodedPacket.init)
        }
    }
    videoPackets += try video?.finish().map(EncodedPacket.init) ?? []
    audioPackets += try audio?.finish().map(EncodedPacket.init) ?? []

    var result = TranscodeResult()
    if let video, let videoIndex {
        result.video = TranscodedStream(
            encoder: video.encoderContext, input: streams[videoIndex], timeBase: video.timeBase,
            timelineStart: start(of: videoIndex))
        result.video?.packets = videoPackets
    }
    if let audio, let audioIndex {
        result.audio = TranscodedStream(
            encoder: audio.encoderContext, input: streams[audioIndex], timeBase: audio.timeBase,
            timelineStart: start(of: audioIndex))
        result.audio?.packets = audioPackets
    }
    return result
}
