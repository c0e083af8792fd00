import Foundation
import Logging
import TestSupport
import TorrentModel

@testable import ShoalNode

/// A single-file torrent of seeded random bytes, written into a seeder's folder.
struct NodeFixture {
    let torrent: [UInt8]
    let metainfo: Metainfo
    let content: [UInt8]

    init(length: Int, pieceLength: Int, seed: UInt64, trackers: [[String]] = []) throws {
        var random = SeededRandom(seed: seed)
        content = random.bytes(count: length)
        var hashes: [UInt8] = []
        for start in stride(from: 0, to: length, by: pieceLength) {
            hashes += ReferenceSHA1.hash(Array(content[start..<min(start + pieceLength, length)]))
        }
        let info = MetainfoWriter.info(
            name: "content.bin",
            files: [TorrentFile(path: ["content.bin"], length: Int64(length), offset: 0)], isMultiFile: false,
            pieceLength: pieceLength, pieceHashes: hashes, isPrivate: false)
        torrent = MetainfoWriter.torrent(info: info, options: TorrentOptions(trackerTiers: trackers))
        metainfo = try Metainfo(bytes: torrent)
    }

    /// Writes the content into `folder` (for a seeder) and returns the folder.
    func writeContent(into folder: String) throws -> String {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(content).write(to: URL(fileURLWithPath: folder + "/content.bin"))
        return folder
    }

    /// A node on 127.0.0.1 seeding this torrent from `temporary/seed-content`, started but not yet running.
    func startedSeeder(in temporary: TemporaryDirectory) async throws -> Node {
        let seeder = try Node(
            directory: DataDirectory(path: temporary.path + "/seeder"),
            settings: NodeSettings(peerHost: "127.0.0.1", peerPort: 0), logger: Self.logger())
        try await seeder.start()
        try await seeder.add(metainfo: torrent, savePath: try writeContent(into: temporary.path + "/seed-content"))
        return seeder
    }

    static func logger() -> Logger {
        var logger = Logger(label: "test.node")
        logger.logLevel = .warning
        return logger
    }
}

/// Polls `condition` every 50 ms until it holds; fails the test after `seconds` (generous: CI is slow).
func eventually(
    _ what: String, within seconds: Double = 120, _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw TimedOutWaiting(what: "\(what) (\(Int(seconds)) s)")
}
