import TestSupport
import Testing

@Suite("shoal version")
struct VersionCommandTests {
    @Test func printsShoalAndFFmpegVersions() async throws {
        let result = try await ShoalBinary.run(["version"])
        #expect(result.exitCode == 0)
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("shoal 0."))
        // Debian 12's FFmpeg 5.1: libavformat 59.x, libavcodec 59.x, libavutil 57.x.
        #expect(lines[1].wholeMatch(of: /libavformat 59\.\d+\.\d+/) != nil, "\(lines)")
        #expect(lines[2].wholeMatch(of: /libavcodec 59\.\d+\.\d+/) != nil, "\(lines)")
        #expect(lines[3].wholeMatch(of: /libavutil 57\.\d+\.\d+/) != nil, "\(lines)")
    }

    @Test func helpExitsZero() async throws {
        let result = try await ShoalBinary.run(["--help"])
        #expect(result.exitCode == 0)
        #expect(result.standardOutput.contains("create"))
        #expect(result.standardOutput.contains("info"))
    }
}

/// FFmpeg is opened at run time, not linked: `shoal create` must not pay for loading ~150 libraries.
@Suite("FFmpeg loading")
struct FFmpegLoadingTests {
    @Test func shoalBinaryDoesNotLinkFFmpeg() async throws {
        let readelf = try await ProcessRunner.run("/usr/bin/readelf", ["-d", try ShoalBinary.path()])
        #expect(readelf.exitCode == 0)
        let needed = readelf.standardOutput.split(separator: "\n").filter { $0.contains("(NEEDED)") }
        #expect(!needed.isEmpty, "readelf printed no NEEDED entries: \(readelf.standardOutput)")
        let ffmpegLibraries = ["libavformat", "libavcodec", "libavutil", "libswscale", "libswresample"]
        #expect(!needed.contains { line in ffmpegLibraries.contains { line.contains($0) } }, "\(needed)")
    }
}
