import Foundation
import TestSupport
import Testing

/// `shoal download` and `shoal seed` as a user runs them: Shoal to Shoal over loopback, bad input,
/// rate limits, Ctrl-C and a full disk.
@Suite("shoal download and seed", .serialized)
struct SwarmCommandTests {
    /// A random file of `size` bytes and its torrent (64 KiB pieces), in a fresh folder.
    struct Content {
        let directory: TemporaryDirectory
        let file: String
        let torrent: String
    }

    private func makeContent(size: Int, seed: UInt64 = 7) async throws -> Content {
        let directory = try TemporaryDirectory(prefix: "shoal-swarm-cli")
        var random = SeededRandom(seed: seed)
        let file = try directory.write(random.data(count: size), to: "data/movie.bin").path
        let torrent = directory.url.appendingPathComponent("movie.torrent").path
        let made = try await ShoalBinary.run(["create", file, "-o", torrent, "--piece-length", "64K", "-q"])
        #expect(made.exitCode == 0, "\(made.standardError)")
        return Content(directory: directory, file: file, torrent: torrent)
    }

    private func startSeed(_ content: Content, extra: [String] = []) async throws -> (BackgroundProcess, Int) {
        let seed = try BackgroundProcess(
            try ShoalBinary.path(),
            ["seed", content.torrent, "--data", content.directory.url.appendingPathComponent("data").path]
                + ["--port", "0", "--bind", "127.0.0.1", "-q"] + extra,
            name: "shoal seed")
        let port = try await seed.waitForLine(startingWith: "listening on 127.0.0.1:")
        return (seed, Int(port)!)
    }

    private func download(
        _ content: Content, into folder: String, port: Int, extra: [String] = []
    ) async throws
        -> ProcessResult
    {
        try await ShoalBinary.run(
            ["download", content.torrent, "-o", folder, "--port", "0", "--bind", "127.0.0.1"]
                + ["--peer", "127.0.0.1:\(port)", "-q"] + extra, timeout: 180)
    }

    @Test func shoalSeedsShoalDownloadsByteForByte() async throws {
        let size = 3 * 1024 * 1024 + 12345
        let pieces = (size + 65535) / 65536
        let content = try await makeContent(size: size)
        let (seed, port) = try await startSeed(content)
        let target = content.directory.url.appendingPathComponent("out").path
        let result = try await download(content, into: target, port: port)
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("infohash: "))
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: "\(target)/movie.bin"))
                == Data(contentsOf: URL(fileURLWithPath: content.file)))
        #expect(try await seed.interrupt() == 0)

        // A second run over complete data re-checks it and exits at once, without any peer.
        let again = try await ShoalBinary.run(
            ["download", content.torrent, "-o", target, "--port", "0", "--bind", "127.0.0.1", "-q"], timeout: 60)
        #expect(again.exitCode == 0, "\(again.standardError)")
        #expect(
            again.standardError.contains("checked movie.bin: \(pieces) of \(pieces) pieces verified"),
            "\(again.standardError)")
    }

    @Test func traceLogsFollowEveryBlockToMilliseconds() async throws {
        let size = 5 * 65536 + 100
        let content = try await makeContent(size: size, seed: 9)
        let (seed, port) = try await startSeed(content, extra: ["--log-level", "trace"])
        let target = content.directory.url.appendingPathComponent("out").path
        let result = try await download(content, into: target, port: port, extra: ["--log-level", "trace"])
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(try await seed.interrupt() == 0)
        let stamped = try Regex(#"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z trace shoal: "#)
        let downloaded = result.stderrLines.filter { $0.contains(stamped) }
        let served = seed.standardError.split(separator: "\n").filter { $0.contains(stamped) }
        for piece in 0..<6 {
            #expect(downloaded.contains { $0.hasSuffix("piece \(piece) verified") }, "\(result.standardError)")
            #expect(downloaded.contains { $0.contains("block \(piece)+0 from peer ") }, "\(result.standardError)")
            #expect(served.contains { $0.contains("sent \(piece)+0 to peer ") }, "\(served)")
        }
        #expect(downloaded.contains { $0.contains("requesting of peer ") && $0.contains(" 0+0") })
        #expect(downloaded.contains { $0.contains("peer ") && $0.hasSuffix(" unchoked us") })
    }

    @Test func seedingAFileMakesItsTorrentAndServesIt() async throws {
        let content = try await makeContent(size: 500_000, seed: 8)
        let torrent = content.directory.url.appendingPathComponent("made-by-seed.torrent").path
        let seed = try BackgroundProcess(
            try ShoalBinary.path(), ["seed", content.file, "-o", torrent, "--port", "0", "--bind", "127.0.0.1", "-q"],
            name: "shoal seed")
        let port = Int(try await seed.waitForLine(startingWith: "listening on 127.0.0.1:"))!
        #expect(try await seed.waitForLine(startingWith: "torrent: ") == torrent)
        let magnet = try await seed.waitForLine(startingWith: "magnet: ")
        #expect(magnet.hasPrefix("magnet:?xt=urn:btih:"))
        // A magnet link and one --peer are enough: the metadata comes over ut_metadata.
        let target = content.directory.url.appendingPathComponent("from-magnet").path
        let result = try await ShoalBinary.run(
            ["download", magnet, "-o", target, "--port", "0", "--bind", "127.0.0.1", "--peer", "127.0.0.1:\(port)"]
                + ["-q"], timeout: 120)
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: "\(target)/movie.bin"))
                == Data(contentsOf: URL(fileURLWithPath: content.file)))
        #expect(try await seed.interrupt() == 0)
    }

    @Test func uploadRateLimitHoldsTheTransferBack() async throws {
        // 2 MiB at 512 KiB/s with a one-second burst: at least 3 s, however fast the machine.
        let content = try await makeContent(size: 2 * 1024 * 1024, seed: 9)
        let (seed, port) = try await startSeed(content, extra: ["--max-upload-rate", "512k"])
        defer { seed.stop() }
        let started = ContinuousClock.now
        let result = try await download(
            content, into: content.directory.url.appendingPathComponent("slow").path, port: port)
        let elapsed = ContinuousClock.now - started
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(elapsed >= .milliseconds(2800), "took \(elapsed)")
    }

    @Test func ctrlCStopsADownloadWithStatus130() async throws {
        let content = try await makeContent(size: 100_000, seed: 10)
        // Nobody listens on port 1: the download waits for peers until interrupted.
        let download = try BackgroundProcess(
            try ShoalBinary.path(),
            ["download", content.torrent, "-o", content.directory.url.appendingPathComponent("never").path]
                + ["--port", "0", "--bind", "127.0.0.1", "--peer", "127.0.0.1:1", "-q"],
            name: "shoal download")
        _ = try await download.waitForLine(startingWith: "listening on ")
        #expect(try await download.interrupt() == 130)
        let lines = download.standardError.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("shoal: error: interrupted with ") }, "\(download.standardError)")
    }

    @Test func fullDiskIsOneClearErrorNotAHang() async throws {
        let content = try await makeContent(size: 3 * 1024 * 1024, seed: 11)
        let (seed, port) = try await startSeed(content)
        defer { seed.stop() }
        let disk = try TmpfsMount(sizeBytes: 1024 * 1024)
        let result = try await download(content, into: disk.path, port: port)
        #expect(result.exitCode == 1)
        let errors = result.stderrLines.filter { $0.hasPrefix("shoal: error: ") }
        #expect(errors.count == 1 && errors[0].contains("no space left"), "\(result.standardError)")
    }

    @Test func badInputAndUsage() async throws {
        let directory = try TemporaryDirectory(prefix: "shoal-swarm-bad")
        let broken = try directory.write(Data("d4:infod6:lengthi-5eee".utf8), to: "broken.torrent").path
        let cases: [(arguments: [String], status: Int32, mentions: String)] = [
            (["download", broken, "--port", "0"], 1, "broken.torrent"),
            (["download", directory.url.appendingPathComponent("missing.torrent").path], 1, "missing.torrent"),
            (["download", "magnet:?xt=urn:btih:zz"], 1, "magnet"),
            (["download", broken, "--peer", "no-port-here"], 2, "--peer"),
            (["download", broken, "--max-download-rate", "fast"], 2, "--max-download-rate"),
            (["download", broken, "--port", "70000"], 2, "--port"),
            (["download", broken, "--log-level", "loud"], 2, "--log-level"),
            (["seed", directory.url.appendingPathComponent("nothing-here").path, "--port", "0"], 1, "nothing-here"),
            (["seed", broken, "--port", "0"], 1, "broken.torrent"),
        ]
        for (arguments, status, mentions) in cases {
            let result = try await ShoalBinary.run(arguments, timeout: 60)
            #expect(result.exitCode == status, "\(arguments): \(result.standardError)")
            #expect(result.stderrLines.count == 1, "\(arguments): \(result.standardError)")
            #expect(result.standardError.contains(mentions), "\(arguments): \(result.standardError)")
        }
    }

    @Test func seedingATorrentWithoutItsDataFails() async throws {
        let content = try await makeContent(size: 100_000, seed: 12)
        let empty = try TemporaryDirectory(prefix: "shoal-swarm-empty")
        let result = try await ShoalBinary.run(
            ["seed", content.torrent, "--data", empty.path, "--port", "0", "--bind", "127.0.0.1"], timeout: 60)
        #expect(result.exitCode == 1)
        #expect(result.standardError.contains("no data of movie.bin found in \(empty.path)"), "\(result.standardError)")
    }

    // Without --no-lsd, the default address would join the LAN's multicast group: tests stay on loopback.
    @Test(arguments: [["--no-dht", "--no-lsd"], ["--bind", "127.0.0.1"]])
    func aMagnetWithNowhereToAskFails(_ dht: [String]) async throws {
        let result = try await ShoalBinary.run(
            ["download", "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567", "--port", "0", "-q"] + dht,
            timeout: 60)
        #expect(result.exitCode == 1)
        #expect(result.stderrLines.count == 1, "\(result.standardError)")
        #expect(result.standardError.contains("no tracker, no peer and no DHT to ask"), "\(result.standardError)")
    }
}
