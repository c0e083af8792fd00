import Foundation
import TestSupport
import Testing

/// `shoal ingest` and `shoal seed VIDEO` as a user runs them: output, exit codes, Ctrl-C, reuse.
@Suite(.serialized) struct IngestCommandTests {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("samples")

    private func sample(_ name: String) -> String { Self.samples.appendingPathComponent(name).path }

    private func lines(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            values[String(line[..<colon]), default: ""] = String(line[line.index(colon, offsetBy: 2)...])
        }
        return values
    }

    @Test func fastStartCutsTheFirstTwoSegmentsShort() async throws {
        let output = try TemporaryDirectory()
        let result = try await ShoalBinary.run(["ingest", sample("clip.mkv"), "-o", output.path, "--fast-start", "-q"])
        #expect(result.exitCode == 0, "\(result.standardError)")
        // 10 s with 4 s segments: 4 + 4 + 2 without a fast start, 2 + 2 + 4 + 2 with one.
        #expect(lines(result.standardOutput)["segments"]?.hasPrefix("4, 0:10") == true, "\(result.standardOutput)")
        let playlist = try String(contentsOfFile: output.path + "/clip/media.m3u8", encoding: .utf8)
        let durations = playlist.split(separator: "\n").filter { $0.hasPrefix("#EXTINF:") }
            .compactMap { Double($0.dropFirst("#EXTINF:".count).split(separator: ",")[0]) }
        #expect(durations.count == 4 && durations[0] < 2.1 && durations[1] < 2.1 && durations[2] > 3.9, "\(durations)")
    }

    @Test func ingestPrintsTheSummaryTheInfohashAndTheMagnet() async throws {
        let output = try TemporaryDirectory()
        let result = try await ShoalBinary.run([
            "ingest", sample("clip.mkv"), "-o", output.path, "--tracker", "udp://t.example:6969",
        ])
        #expect(result.exitCode == 0, "\(result.standardError)")
        let fields = lines(result.standardOutput)
        let infohash = try #require(fields["infohash"])
        #expect(infohash.count == 40)
        #expect(fields["magnet"]?.hasPrefix("magnet:?xt=urn:btih:\(infohash)") == true)
        #expect(fields["magnet"]?.contains("tr=udp") == true)
        #expect(fields["torrent"] == output.path + "/clip.torrent")
        #expect(fields["segments"]?.hasPrefix("3, 0:10") == true, "\(result.standardOutput)")
        #expect(fields["codecs"]?.hasPrefix("avc1.") == true)
        #expect(fields["bitrate"]?.contains("Mbit/s average") == true)
        #expect(fields["size"]?.contains("pieces of") == true)
        #expect(result.standardError.contains("realtime"), "\(result.standardError)")

        // `shoal info` reads what ingest wrote; a second run reuses it.
        let info = try await ShoalBinary.run(["info", output.path + "/clip.torrent"])
        #expect(info.standardOutput.contains(infohash))
        let again = try await ShoalBinary.run(["ingest", sample("clip.mkv"), "-o", output.path])
        #expect(again.exitCode == 0)
        #expect(again.standardOutput.hasPrefix("reused: "), "\(again.standardOutput)")
        #expect(lines(again.standardOutput)["infohash"] == infohash)
    }

    @Test func badInputIsOneLineAndExitOneBadUsageExitTwo() async throws {
        let folder = try TemporaryDirectory()
        let text = try folder.write(Data("hello".utf8), to: "hello.mp4").path
        let cases: [([String], Int32, String)] = [
            (["ingest", text, "-o", folder.path], 1, "not a video file"),
            (["ingest", sample("truncated.mp4"), "-o", folder.path], 1, "damaged or truncated"),
            (["ingest", folder.path + "/missing.mkv", "-o", folder.path], 1, "No such file or directory"),
            (
                ["ingest", sample("mpeg2-mp2.ts"), "-o", folder.path, "--transcode", "never"], 1,
                "stream 0 (mpeg2video)"
            ),
            (["ingest", sample("clip.mkv"), "--segment-duration", "0"], 2, "--segment-duration"),
            (["ingest", sample("clip.mkv"), "--transcode", "sometimes"], 2, "transcode"),
            (["ingest", sample("clip.mkv"), "--name", "../x"], 2, "--name"),
            (["ingest", sample("clip.mkv"), "-o", folder.path, "--audio-track", "4"], 1, "--audio-track 4"),
        ]
        for (arguments, code, words) in cases {
            let result = try await ShoalBinary.run(arguments)
            #expect(result.exitCode == code, "\(arguments): \(result.standardError)")
            #expect(result.stderrLines.count == 1, "\(arguments): \(result.standardError)")
            #expect(result.standardError.contains(words), "\(arguments): \(result.standardError)")
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(left == ["hello.mp4"], "left behind: \(left)")
    }

    @Test func controlCDuringAnIngestLeavesNothingBehind() async throws {
        let folder = try TemporaryDirectory()
        // Five minutes of MPEG-2: re-encoding it takes far longer than the moment before the interrupt.
        let input = folder.url.appendingPathComponent("long.mpg").path
        let ffmpeg = try ProcessRunner.which("ffmpeg", installHint: "apt-get install ffmpeg")
        let made = try await ProcessRunner.run(
            ffmpeg,
            [
                "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=300", "-c:v", "mpeg2video",
                "-q:v", "8", input,
            ], timeout: 300)
        #expect(made.exitCode == 0, "\(made.standardError)")
        let output = folder.url.appendingPathComponent("out").path
        let ingest = try BackgroundProcess(
            try ShoalBinary.path(), ["ingest", input, "-o", output], name: "shoal ingest")
        // Wait until segments are being written, then interrupt.
        let staging = output + "/.long.ingest-partial"
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: staging)) ?? []
            if !files.isEmpty { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(ingest.isRunning, "the ingest ended before it could be interrupted: \(ingest.standardError)")
        let status = try await ingest.interrupt()
        #expect(status == 130, "\(ingest.standardError)")
        #expect(ingest.standardError.contains("interrupted; nothing was kept"), "\(ingest.standardError)")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: output)) ?? []
        #expect(left.isEmpty, "left behind: \(left)")
    }

    @Test func seedingAVideoIngestsItAndServesTheVideoTorrent() async throws {
        let folder = try TemporaryDirectory()
        let seed = try BackgroundProcess(
            try ShoalBinary.path(),
            ["seed", sample("no-audio.mp4"), "-o", folder.path, "--port", "0", "--bind", "127.0.0.1", "-q"],
            name: "shoal seed")
        let port = try #require(Int(try await seed.waitForLine(startingWith: "listening on 127.0.0.1:")))
        #expect(try await seed.waitForLine(startingWith: "torrent: ") == folder.path + "/no-audio.torrent")
        let magnet = try await seed.waitForLine(startingWith: "magnet: ")
        let target = folder.url.appendingPathComponent("copy").path
        let download = try await ShoalBinary.run(
            [
                "download", magnet, "-o", target, "--port", "0", "--bind", "127.0.0.1", "--peer", "127.0.0.1:\(port)",
                "-q",
            ],
            timeout: 120)
        #expect(download.exitCode == 0, "\(download.standardError)")
        for name in ["master.m3u8", "media.m3u8", "init.mp4", "segment-00000.m4s", "segment-00001.m4s"] {
            let original = try Data(contentsOf: URL(fileURLWithPath: folder.path + "/no-audio/" + name))
            let copy = try Data(contentsOf: URL(fileURLWithPath: target + "/no-audio/" + name))
            #expect(original == copy, "\(name)")
        }
        #expect(!FileManager.default.fileExists(atPath: target + "/no-audio/.pad"))
        _ = try await seed.interrupt()

        // --as-is seeds the file unchanged: a one-file torrent of the MP4 itself.
        let plain = try BackgroundProcess(
            try ShoalBinary.path(),
            [
                "seed", sample("no-audio.mp4"), "--as-is", "-o", folder.path + "/plain.torrent", "--port", "0",
                "--bind",
                "127.0.0.1", "-q",
            ], name: "shoal seed --as-is")
        #expect(try await plain.waitForLine(startingWith: "torrent: ") == folder.path + "/plain.torrent")
        let info = try await ShoalBinary.run(["info", folder.path + "/plain.torrent", "--json"])
        #expect(info.standardOutput.contains("\"no-audio.mp4\""), "\(info.standardOutput)")
        _ = try await plain.interrupt()
    }
}
