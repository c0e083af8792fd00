import Foundation
import TestSupport
import Testing
import TorrentModel

/// Shoal and libtorrent (python3-libtorrent from Debian) trading pieces over loopback, in both
/// directions, from .torrent files and from magnet links. Everything listens on 127.0.0.1 only.
@Suite("swarm interop with libtorrent", .serialized)
struct SwarmInteropTests {
    /// A folder of content, its torrent made by libtorrent (v1 only, small pieces so there are many).
    struct Swarm {
        let directory: TemporaryDirectory
        let content: String
        let torrent: String
        let metainfo: Metainfo
    }

    private func makeSwarm() async throws -> Swarm {
        let directory = try TemporaryDirectory(prefix: "shoal-swarm-interop")
        let content = try makeSampleFolder(in: directory)
        let torrent = directory.url.appendingPathComponent("content.torrent").path
        let made = try await InteropTools.libtorrent([
            "create", content, torrent, "--v1-only", "--piece-length", "32768",
        ])
        guard made.exitCode == 0 else { throw ToolFailure(tool: "libtorrent create", result: made) }
        return Swarm(
            directory: directory, content: content, torrent: torrent,
            metainfo: try InteropTools.shoalMetainfo(torrent))
    }

    private func startLibtorrentSeed(_ swarm: Swarm) async throws -> (BackgroundProcess, Int) {
        let seed = try InteropTools.libtorrentInBackground([
            "seed", swarm.torrent, swarm.directory.url.path,
        ])
        let port = try await seed.waitForLine(startingWith: "port: ")
        _ = try await seed.waitForLine(startingWith: "seeding")
        return (seed, Int(port)!)
    }

    private func startShoalSeed(_ swarm: Swarm) async throws -> (BackgroundProcess, Int) {
        let seed = try BackgroundProcess(
            try ShoalBinary.path(),
            ["seed", swarm.torrent, "--data", swarm.directory.url.path, "--port", "0", "--bind", "127.0.0.1", "-q"],
            name: "shoal seed")
        let listening = try await seed.waitForLine(startingWith: "listening on 127.0.0.1:")
        return (seed, Int(listening)!)
    }

    private func shoalDownload(_ source: String, into folder: String, peerPort: Int) async throws -> ProcessResult {
        try await ShoalBinary.run(
            [
                "download", source, "-o", folder, "--port", "0", "--bind", "127.0.0.1", "--peer",
                "127.0.0.1:\(peerPort)", "-q",
            ], timeout: 180)
    }

    private func libtorrentDownload(_ source: String, into folder: String, peerPort: Int) async throws -> ProcessResult
    {
        try await InteropTools.libtorrent([
            "download", source, folder, "--peer", "127.0.0.1:\(peerPort)", "--timeout", "150",
        ])
    }

    @Test func libtorrentSeedsAndShoalDownloads() async throws {
        let swarm = try await makeSwarm()
        let (seed, port) = try await startLibtorrentSeed(swarm)
        defer { seed.stop() }
        let target = swarm.directory.url.appendingPathComponent("shoal-download").path
        let result = try await shoalDownload(swarm.torrent, into: target, peerPort: port)
        #expect(result.exitCode == 0, "\(result.standardError)")
        try expectSameTree(swarm.content, "\(target)/content")
    }

    @Test func shoalSeedsAndLibtorrentDownloads() async throws {
        let swarm = try await makeSwarm()
        let (seed, port) = try await startShoalSeed(swarm)
        let target = swarm.directory.url.appendingPathComponent("lt-download").path
        let result = try await libtorrentDownload(swarm.torrent, into: target, peerPort: port)
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("complete"))
        try expectSameTree(swarm.content, "\(target)/content")
        // Ctrl-C: a clean stop, status 0 for a seed.
        #expect(try await seed.interrupt() == 0, "\(seed.standardError)")
    }

    @Test func shoalFetchesMagnetMetadataFromLibtorrent() async throws {
        let swarm = try await makeSwarm()
        let (seed, port) = try await startLibtorrentSeed(swarm)
        defer { seed.stop() }
        let target = swarm.directory.url.appendingPathComponent("shoal-magnet").path
        let result = try await shoalDownload(swarm.metainfo.magnet.uri, into: target, peerPort: port)
        #expect(result.exitCode == 0, "\(result.standardError)")
        try expectSameTree(swarm.content, "\(target)/content")
    }

    @Test func libtorrentFetchesMagnetMetadataFromShoal() async throws {
        let swarm = try await makeSwarm()
        let (seed, port) = try await startShoalSeed(swarm)
        defer { seed.stop() }
        let target = swarm.directory.url.appendingPathComponent("lt-magnet").path
        let result = try await libtorrentDownload(swarm.metainfo.magnet.uri, into: target, peerPort: port)
        #expect(result.exitCode == 0, "\(result.standardError)")
        try expectSameTree(swarm.content, "\(target)/content")
    }
}

/// Every file under `expected` exists under `actual` with the same bytes, and nothing else does.
func expectSameTree(_ expected: String, _ actual: String) throws {
    let expectedFiles = try filesBelow(expected)
    let actualFiles = try filesBelow(actual)
    #expect(expectedFiles.keys.sorted() == actualFiles.keys.sorted())
    for (path, bytes) in expectedFiles {
        #expect(actualFiles[path] == bytes, "\(path) differs")
    }
}

private func filesBelow(_ root: String) throws -> [String: Data] {
    var files: [String: Data] = [:]
    let rootURL = URL(fileURLWithPath: root)
    guard let enumerator = FileManager.default.enumerator(atPath: root) else { return files }
    for case let relative as String in enumerator {
        let url = rootURL.appendingPathComponent(relative)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            files[relative] = try Data(contentsOf: url)
        }
    }
    return files
}
