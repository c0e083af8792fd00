import Foundation
import TestSupport
import Testing
import TorrentModel

/// Shoal and aria2 (Debian's aria2c) in one swarm, both ways. aria2 cannot be given a peer by address,
/// so the peers meet through Debian's opentracker on 127.0.0.1.
@Suite("swarm interop with aria2", .serialized)
struct Aria2InteropTests {
    struct Swarm {
        let directory: TemporaryDirectory
        let content: String
        let torrent: String
        let infoHashHex: String
        let tracker: OpenTracker
    }

    /// The sample folder, a tracker that knows its infohash, and a torrent that names the tracker.
    private func makeSwarm() async throws -> Swarm {
        let directory = try TemporaryDirectory(prefix: "shoal-aria2")
        let content = try makeSampleFolder(in: directory)
        let torrent = directory.url.appendingPathComponent("content.torrent").path
        // The tracker URL is outside `info`: the infohash is known before the tracker's port is.
        try await create(content, torrent, tracker: "http://127.0.0.1:1/announce")
        let infoHashHex = try InteropTools.shoalMetainfo(torrent).infoHash.hex
        let tracker = try await OpenTracker.start(whitelistHex: [infoHashHex])
        try await create(content, torrent, tracker: tracker.httpURL)
        #expect(try InteropTools.shoalMetainfo(torrent).infoHash.hex == infoHashHex)
        return Swarm(
            directory: directory, content: content, torrent: torrent, infoHashHex: infoHashHex, tracker: tracker)
    }

    private func create(_ content: String, _ torrent: String, tracker: String) async throws {
        let result = try await ShoalBinary.run(
            ["create", content, "-o", torrent, "--piece-length", "32K", "--tracker", tracker, "--force", "-q"])
        guard result.exitCode == 0 else { throw ToolFailure(tool: "shoal create", result: result) }
    }

    private func aria2(_ arguments: [String]) throws -> (String, [String]) {
        let executable = try ProcessRunner.which("aria2c", installHint: "aria2 (apt-get install -y aria2)")
        let port = try FreePort.tcp()
        return (
            executable,
            [
                "--listen-port=\(port)", "--enable-dht=false", "--enable-dht6=false", "--bt-enable-lpd=false",
                "--enable-peer-exchange=false", "--disable-ipv6=true", "--file-allocation=none",
                "--console-log-level=warn", "--summary-interval=0", "--bt-stop-timeout=150",
            ] + arguments
        )
    }

    @Test func aria2DownloadsFromShoal() async throws {
        let swarm = try await makeSwarm()
        let seed = try BackgroundProcess(
            try ShoalBinary.path(),
            ["seed", swarm.torrent, "--data", swarm.directory.path, "--port", "0", "--bind", "127.0.0.1", "-q"],
            name: "shoal seed")
        _ = try await seed.waitForLine(startingWith: "listening on ")
        try await swarm.tracker.waitForSeeders(infoHashHex: swarm.infoHashHex, atLeast: 1)

        let target = swarm.directory.url.appendingPathComponent("aria2-download").path
        let (executable, arguments) = try aria2(["--dir=\(target)", "--seed-time=0", swarm.torrent])
        let result = try await ProcessRunner.run(executable, arguments, timeout: 180)
        #expect(result.exitCode == 0, "\(result.standardOutput)\(result.standardError)")
        try expectSameTree(swarm.content, "\(target)/content")
        #expect(try await seed.interrupt() == 0, "\(seed.standardError)")
        // Ctrl-C announced `stopped` (aria2 did too when it finished): the tracker has no seeder left.
        try await swarm.tracker.waitForSeeders(infoHashHex: swarm.infoHashHex, "no", timeout: .seconds(30)) { $0 == 0 }
    }

    @Test func shoalDownloadsFromAria2() async throws {
        let swarm = try await makeSwarm()
        // -V: aria2 checks the data it finds, then seeds it.
        let (executable, arguments) = try aria2([
            "--dir=\(swarm.directory.path)", "-V", "--seed-ratio=0.0", "--seed-time=10", swarm.torrent,
        ])
        let seed = try BackgroundProcess(executable, arguments, name: "aria2c seed")
        defer { seed.stop() }
        try await swarm.tracker.waitForSeeders(infoHashHex: swarm.infoHashHex, atLeast: 1)

        let target = swarm.directory.url.appendingPathComponent("shoal-download").path
        let result = try await ShoalBinary.run(
            ["download", swarm.torrent, "-o", target, "--port", "0", "--bind", "127.0.0.1", "-q"], timeout: 180)
        #expect(result.exitCode == 0, "\(result.standardError)")
        try expectSameTree(swarm.content, "\(target)/content")
    }
}
