import Foundation
import TestSupport
import Testing

/// Local Service Discovery (BEP 14) between two `shoal` processes with no tracker, no DHT and no `--peer`:
/// they share only the multicast group, joined on loopback (docs/lsd.md), on a group port of this test's own.
@Suite(.timeLimit(.minutes(3))) struct LSDDiscoveryTests {
    @Test func twoNodesWithNoTrackerAndNoDHTFindEachOtherOnTheLAN() async throws {
        let directory = try TemporaryDirectory(prefix: "shoal-lsd")
        var random = SeededRandom(seed: 14)
        let original = random.data(count: 1_500_000)
        let file = try directory.write(original, to: "data/movie.bin").path
        let torrent = directory.url.appendingPathComponent("movie.torrent").path
        let made = try await ShoalBinary.run(["create", file, "-o", torrent, "-q"])
        try #require(made.exitCode == 0, "\(made.standardError)")
        var groupPort = try FreePort.tcp()
        while !FreePort.isUDPFree(groupPort) || groupPort == 6771 { groupPort = try FreePort.tcp() }
        let alone = ["--port", "0", "--no-dht", "--lsd-port", String(groupPort), "-v"]

        let seed = try BackgroundProcess(
            try ShoalBinary.path(),
            ["seed", torrent, "--data", directory.url.appendingPathComponent("data").path, "--bind", "127.0.0.2"]
                + alone,
            name: "shoal seed")
        defer { seed.stop() }
        _ = try await seed.waitForLine(startingWith: "listening on ")

        let target = directory.url.appendingPathComponent("copy").path
        let download = try BackgroundProcess(
            try ShoalBinary.path(), ["download", torrent, "-o", target, "--bind", "127.0.0.3"] + alone,
            name: "shoal download")
        defer { download.stop() }
        let status = try await download.waitForExit(timeout: .seconds(120))
        #expect(status == 0, "\(download.standardError.suffix(2000))")
        #expect(try Data(contentsOf: URL(fileURLWithPath: target + "/movie.bin")) == original)
        // One of them heard the other's announcement and dialed it (each announces at start; which one
        // dials depends on who starts first). The seed's log may trail a download of a fraction of a second.
        let deadline = ContinuousClock.now + .seconds(20)
        var logs: String { seed.standardError + download.standardError }
        while !logs.contains("from lsd") && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(logs.contains("from lsd"), "\(logs.suffix(3000))")
    }

    @Test func aBadGroupPortIsAUsageError() async throws {
        let result = try await ShoalBinary.run(["download", "x.torrent", "--lsd-port", "0"])
        #expect(result.exitCode == 2)
        #expect(result.standardError.contains("--lsd-port"), "\(result.standardError)")
    }
}
