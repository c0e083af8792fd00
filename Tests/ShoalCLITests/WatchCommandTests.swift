import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `shoal watch` as a user runs it: a video seeded by `shoal seed VIDEO` (which serves the same routes), watched
/// by magnet link through a second process, played by FFmpeg from the watcher's HLS URL.
@Suite("shoal watch", .serialized)
struct WatchCommandTests {
    static var samplePath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("samples/sample.mp4").path
    }

    struct Seed {
        let process: BackgroundProcess
        let port: Int
        let magnet: String
        let infoHash: String
        let hls: String
    }

    static func startSeed(in directory: TemporaryDirectory) async throws -> Seed {
        let seed = try BackgroundProcess(
            try ShoalBinary.path(),
            ["seed", samplePath, "-o", directory.url.appendingPathComponent("made").path]
                + ["--port", "0", "--bind", "127.0.0.1", "-q"],
            name: "shoal seed")
        let port = try #require(Int(try await seed.waitForLine(startingWith: "listening on 127.0.0.1:")))
        let magnet = try await seed.waitForLine(startingWith: "magnet: ")
        let infoHash = try await seed.waitForLine(startingWith: "infohash: ")
        let hls = try await seed.waitForLine(startingWith: "HLS: ")
        return Seed(process: seed, port: port, magnet: magnet, infoHash: infoHash, hls: hls)
    }

    static func get(_ url: String) async throws -> (status: Int, body: Data) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    @Test func watchingByMagnetServesHLSThatFFmpegPlaysAndKeepsSeeding() async throws {
        let directory = try TemporaryDirectory(prefix: "shoal-watch")
        let seed = try await Self.startSeed(in: directory)
        defer { seed.process.stop() }
        // The seed serves its own video too.
        #expect(try await Self.get(seed.hls).status == 200)

        let watch = try BackgroundProcess(
            try ShoalBinary.path(),
            ["watch", seed.magnet, "--peer", "127.0.0.1:\(seed.port)", "--player", "none", "--port", "0"]
                + ["--bind", "127.0.0.1", "-o", directory.url.appendingPathComponent("watched").path],
            name: "shoal watch")
        defer { watch.stop() }
        let page = try await watch.waitForLine(startingWith: "Watch: ")
        let hls = try await watch.waitForLine(startingWith: "HLS: ")
        #expect(page.hasPrefix("http://127.0.0.1:") && page.hasSuffix("/watch/\(seed.infoHash)"))
        #expect(hls.hasSuffix("/v/\(seed.infoHash)/master.m3u8"))

        let ffmpeg = try ProcessRunner.which("ffmpeg", installHint: "apt-get install ffmpeg")
        let decoded = try await ProcessRunner.run(ffmpeg, ["-v", "error", "-i", hls, "-f", "null", "-"], timeout: 120)
        #expect(decoded.exitCode == 0 && decoded.standardError.isEmpty, "\(decoded.standardError)")

        let api = hls.replacingOccurrences(
            of: "/v/\(seed.infoHash)/master.m3u8", with: "/api/torrents/\(seed.infoHash)")
        let (status, body) = try await Self.get(api)
        #expect(status == 200)
        let figures = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        let quality = try #require(figures["quality"] as? [String: Any])
        #expect(quality["startupSeconds"] is Double, "\(quality)")
        #expect((quality["segmentsServed"] as? Int ?? 0) >= 5)
        #expect(figures["mode"] as? String == "deadline")

        // Complete, it goes on seeding until stopped; Ctrl-C then ends it cleanly.
        let deadline = ContinuousClock.now + .seconds(60)
        while !watch.standardError.contains("complete: sample"), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(watch.standardError.contains("seeding sample"), "\(watch.standardError)")
        #expect(watch.isRunning)
        let status130 = try await watch.interrupt()
        #expect(status130 == 0, "\(watch.standardError)")
    }

    @Test func aPlayerThatIsNotInstalledIsNamedAndTheStreamGoesOn() async throws {
        let directory = try TemporaryDirectory(prefix: "shoal-watch-player")
        let seed = try await Self.startSeed(in: directory)
        defer { seed.process.stop() }
        let torrent = directory.url.appendingPathComponent("made/sample.torrent").path
        let watch = try BackgroundProcess(
            try ShoalBinary.path(),
            ["watch", torrent, "--peer", "127.0.0.1:\(seed.port)", "--player", "mpv", "--port", "0", "--bind"]
                + ["127.0.0.1", "-o", directory.url.appendingPathComponent("watched").path, "-q"],
            name: "shoal watch", environment: ["PATH": directory.path])
        defer { watch.stop() }
        let hls = try await watch.waitForLine(startingWith: "HLS: ")
        try await Task.sleep(for: .milliseconds(500))
        #expect(watch.standardError.contains("no mpv player found (looked for mpv on PATH)"), "\(watch.standardError)")
        #expect(try await Self.get(hls).status == 200)
    }

    @Test func badInputGetsOneLineAndANonZeroExit() async throws {
        let directory = try TemporaryDirectory(prefix: "shoal-watch-bad")
        let text = try directory.write(Data("not a torrent".utf8), to: "bad.torrent").path
        let cases: [(arguments: [String], code: Int32, message: String)] = [
            (["watch", text], 1, "bad.torrent"),
            (
                ["watch", "magnet:?xt=urn:btih:" + String(repeating: "ab", count: 20), "--no-dht", "--no-lsd"], 1,
                "no DHT to ask"
            ),
            // On a loopback address the public DHT routers are out of reach: no way into the DHT either.
            (["watch", String(repeating: "cd", count: 20), "--bind", "127.0.0.1", "--port", "0"], 1, "no DHT to ask"),
            (["watch", "magnet:?xt=urn:btih:zz"], 1, "magnet"),
            (["watch", text, "--streaming-mode", "fastest"], 2, "streaming-mode"),
            (["watch", text, "--player", "quicktime"], 2, "player"),
            (["watch", text, "--http-port", "70000"], 2, "--http-port"),
        ]
        for (arguments, code, message) in cases {
            let result = try await ShoalBinary.run(arguments)
            #expect(result.exitCode == code, "\(arguments): \(result.standardError)")
            #expect(result.stderrLines.count == 1, "\(arguments): \(result.standardError)")
            #expect(result.standardError.lowercased().contains(message.lowercased()), "\(result.standardError)")
        }
    }

    @Test func aTakenHTTPPortIsAClearError() async throws {
        let directory = try TemporaryDirectory(prefix: "shoal-watch-port")
        let seed = try await Self.startSeed(in: directory)
        defer { seed.process.stop() }
        let taken = try #require(Int(seed.hls.split(separator: ":")[2].split(separator: "/")[0]))
        let torrent = directory.url.appendingPathComponent("made/sample.torrent").path
        let result = try await ShoalBinary.run(
            ["watch", torrent, "--peer", "127.0.0.1:\(seed.port)", "--player", "none", "--port", "0", "--bind"]
                + [
                    "127.0.0.1", "--http-port", String(taken), "-o", directory.url.appendingPathComponent("w").path,
                    "-q",
                ]
        )
        #expect(result.exitCode == 1, "\(result.standardError)")
        #expect(result.standardError.contains("cannot serve HTTP on 127.0.0.1:\(taken)"), "\(result.standardError)")
    }
}

/// `shoal node` serves the same streaming routes for the video torrents of its library, on its API port.
@Suite("shoal node streaming")
struct NodeStreamingTests {
    @Test func aNodeServesItsVideoTorrentsBesideTheAPI() async throws {
        let directory = try TemporaryDirectory(prefix: "shoal-node-stream")
        let made = directory.url.appendingPathComponent("made").path
        let ingest = try await ShoalBinary.run(["ingest", WatchCommandTests.samplePath, "-o", made, "-q"])
        #expect(ingest.exitCode == 0, "\(ingest.standardError)")
        let dataDir = directory.url.appendingPathComponent("data").path
        let node = try BackgroundProcess(
            try ShoalBinary.path(),
            ["node", "--data-dir", dataDir, "--api-port", "0", "--port", "0", "--bind", "127.0.0.1"], name: "shoal node"
        )
        defer { node.stop() }
        let api = try await node.waitForLine(startingWith: "control API on ")
        let base = String(api.dropLast("/api/v1".count))
        let added = try await ShoalBinary.run([
            "add", "\(made)/sample.torrent", "--data-dir", dataDir, "--save-to", made,
        ])
        #expect(added.exitCode == 0, "\(added.standardError)")
        let infoHash = try #require(
            added.standardOutput.split(separator: "(").last?.split(separator: ")").first.map(String.init))

        var status = 0
        let deadline = ContinuousClock.now + .seconds(60)
        while status != 200, ContinuousClock.now < deadline {
            status = (try? await WatchCommandTests.get("\(base)/v/\(infoHash)/master.m3u8").status) ?? 0
            if status != 200 { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(status == 200)
        #expect(try await WatchCommandTests.get("\(base)/watch/\(infoHash)").status == 200)
        let (figuresStatus, body) = try await WatchCommandTests.get("\(base)/api/torrents/\(infoHash)")
        #expect(figuresStatus == 200)
        let figures = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect(figures["isVideo"] as? Bool == true)
        #expect(try await node.interrupt() == 0)
    }
}
