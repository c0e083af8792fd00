import Foundation
import HLS
import TestSupport
import Testing

@testable import MediaIngest

/// Containers and codecs beyond the samples: each made small by FFmpeg, each must come out as HLS that
/// FFmpeg plays, copied where HLS can carry the codec and re-encoded where it cannot.
@Suite(.serialized) struct IngestContainerTests {
    struct Input: Sendable, CustomTestStringConvertible {
        var name: String
        var codecs: [String]
        var videoCopied: Bool
        var audioCopied: Bool
        var testDescription: String { name }
    }

    static let inputs: [Input] = [
        Input(
            name: "mpeg4-mp3.avi", codecs: ["-c:v", "mpeg4", "-c:a", "libmp3lame"], videoCopied: false,
            audioCopied: false),
        Input(
            name: "h264-aac.flv", codecs: ["-c:v", "libx264", "-g", "25", "-c:a", "aac"], videoCopied: true,
            audioCopied: true),
        Input(
            name: "vp9-opus.webm", codecs: ["-c:v", "libvpx-vp9", "-g", "25", "-c:a", "libopus"], videoCopied: false,
            audioCopied: false),
        Input(
            name: "h264-pcm.mov", codecs: ["-c:v", "libx264", "-g", "25", "-c:a", "pcm_s16le"], videoCopied: true,
            audioCopied: false),
    ]

    @Test(arguments: inputs) func ingestsIntoPlayableHLS(_ input: Input) async throws {
        let folder = try TemporaryDirectory()
        let path = folder.url.appendingPathComponent(input.name).path
        try await MediaTools.make(
            [
                "-f", "lavfi", "-i", "testsrc2=size=192x108:rate=25:duration=5", "-f", "lavfi", "-i",
                "sine=frequency=440:sample_rate=48000:duration=5", "-threads", "1",
            ] + input.codecs + ["-shortest", path])
        let output = folder.url.appendingPathComponent("out").path
        let result = try VideoIngest.run(IngestRequest(input: path, outputFolder: output, segmentDuration: 2))
        let streams = result.summary.streams
        #expect(streams.count == 2, "\(streams)")
        #expect(streams.first?.hasSuffix("copied") == input.videoCopied, "\(streams)")
        #expect(streams.last?.hasSuffix("copied") == input.audioCopied, "\(streams)")
        #expect(result.summary.codecs.count == 2)
        #expect(result.summary.codecs.first?.hasPrefix("avc1.") == true)
        #expect(result.summary.codecs.last?.hasPrefix("mp4a.40.") == true)
        #expect(result.summary.segmentCount >= 2)
        #expect(try await MediaTools.decodeErrors(result.folderPath + "/master.m3u8") == "", "\(input.name)")
        let frame = 1.0 / 25
        #expect(abs(result.summary.duration - (try await MediaTools.duration(of: path))) <= 2 * frame)
        let media = try MediaPlaylist(
            parsing: [UInt8](try Data(contentsOf: URL(fileURLWithPath: result.folderPath + "/media.m3u8"))))
        for segment in media.segments {
            let joined = folder.url.appendingPathComponent("check.mp4")
            try Data(
                try Data(contentsOf: URL(fileURLWithPath: result.folderPath + "/init.mp4"))
                    + Data(contentsOf: URL(fileURLWithPath: result.folderPath + "/" + segment.uri))
            ).write(to: joined)
            #expect(try await MediaTools.firstVideoFrameIsKey(joined.path), "\(input.name) \(segment.uri)")
        }
    }
}
