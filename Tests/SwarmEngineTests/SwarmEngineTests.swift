import Foundation
import NIOCore
import PeerWire
import PieceStorage
import SwarmEngine
import TestSupport
import Testing
import TorrentModel

@Suite("Swarm engine over TCP on 127.0.0.1")
struct SwarmEngineTests {
    @Test("a seed gives one leecher a byte-identical copy", .timeLimit(.minutes(1)))
    func seedToOneLeecher() async throws {
        let fixture = try TorrentFixture(fileLengths: [300 * 1024 + 123], seed: 1)
        #expect(fixture.metainfo.pieceCount == 19)
        let seed = try await fixture.seedStore()
        let leecher = try await fixture.emptyStore()
        let counts = try await SwarmHarness(dials: [(from: 1, to: 0)]).run(
            metainfo: fixture.metainfo, stores: [seed, leecher]
        ) { sessions, _ in
            await sessions[1].waitUntilComplete()
            return (await sessions[1].verifiedPieceCount, await sessions[0].uploadedBytes)
        }
        #expect(counts.0 == 19)
        #expect(counts.1 >= Int64(fixture.stream.count))
        #expect(await leecher.fileContents(0) == fixture.contents(ofFile: 0))
        #expect(leecher.completion.verified.isComplete)
    }

    @Test("a multi-file torrent with pad files lands on disk byte-identical", .timeLimit(.minutes(1)))
    func fileStorageWithPadFiles() async throws {
        let fixture = try TorrentFixture(
            fileLengths: [40_000, 5, 70_000, 16 * 1024], pieceLength: 32 * 1024, aligned: true, seed: 2)
        #expect(fixture.metainfo.files.contains { $0.isPadding })
        let folder = try TemporaryDirectory()
        let pool = StorageThreadPool(threadCount: 2)
        defer { pool.shutDown() }
        let leecher = FileStorage(
            metainfo: fixture.metainfo, saveFolder: folder.path,
            completion: MemoryCompletionState(pieceCount: fixture.metainfo.pieceCount), pool: pool)
        try await leecher.prepare()
        let seed = try await fixture.seedStore()
        try await SwarmHarness(dials: [(from: 1, to: 0)]).run(metainfo: fixture.metainfo, stores: [seed, leecher]) {
            sessions, _ in
            await sessions[1].waitUntilComplete()
        }
        try await leecher.close()
        for (index, file) in fixture.metainfo.files.enumerated() where !file.isPadding {
            let onDisk = try Data(contentsOf: URL(fileURLWithPath: leecher.diskPath(ofFile: index)))
            #expect([UInt8](onDisk) == fixture.contents(ofFile: index), "file \(file.path)")
        }
    }

    @Test("leechers trade among themselves: one reaches the seed's data only through them", .timeLimit(.minutes(1)))
    func leechersTrade() async throws {
        let fixture = try TorrentFixture(fileLengths: [400 * 1024], seed: 3)
        let seed = try await fixture.seedStore()
        var stores: [any PieceStore] = [seed]
        var leechers: [MemoryStorage] = []
        for _ in 0..<3 {
            let store = try await fixture.emptyStore()
            leechers.append(store)
            stores.append(store)
        }
        // 1 and 2 dial the seed and each other; 3 never talks to the seed.
        let dials = [(from: 1, to: 0), (from: 2, to: 0), (from: 2, to: 1), (from: 3, to: 1), (from: 3, to: 2)]
        let relayed = try await SwarmHarness(dials: dials).run(metainfo: fixture.metainfo, stores: stores) {
            sessions, _ in
            await waitForAll(Array(sessions[1...]))
            return (await sessions[1].uploadedBytes, await sessions[2].uploadedBytes)
        }
        #expect(relayed.0 + relayed.1 >= Int64(fixture.stream.count))
        for leecher in leechers {
            #expect(await leecher.fileContents(0) == fixture.contents(ofFile: 0))
        }
    }

    @Test("one engine seeds two torrents and another downloads both", .timeLimit(.minutes(1)))
    func severalTorrentsInOneProcess() async throws {
        let first = try TorrentFixture(fileLengths: [150 * 1024], seed: 31)
        let second = try TorrentFixture(fileLengths: [90_000, 33_333], pieceLength: 32 * 1024, seed: 32)
        let seeder = SwarmEngine(peerID: PeerID(bytes: Array("-SH0100-severalSeed1".utf8))!)
        let leecher = SwarmEngine(peerID: PeerID(bytes: Array("-SH0100-severalLeech".utf8))!)
        let stores = (try await first.emptyStore(), try await second.emptyStore())
        seeder.addTorrent(first.metainfo, store: try await first.seedStore())
        seeder.addTorrent(second.metainfo, store: try await second.seedStore())
        let sessions = (
            leecher.addTorrent(first.metainfo, store: stores.0), leecher.addTorrent(second.metainfo, store: stores.1)
        )
        let port = try await seeder.bind(host: "127.0.0.1", port: 0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await seeder.run() }
            group.addTask { await leecher.run() }
            leecher.connect(host: "127.0.0.1", port: port, infoHash: first.metainfo.infoHash)
            leecher.connect(host: "127.0.0.1", port: port, infoHash: second.metainfo.infoHash)
            await waitForAll([sessions.0, sessions.1])
            seeder.stop()
            leecher.stop()
            try await group.waitForAll()
        }
        #expect(await stores.0.fileContents(0) == first.contents(ofFile: 0))
        for index in second.metainfo.files.indices where !second.metainfo.files[index].isPadding {
            #expect(await stores.1.fileContents(index) == second.contents(ofFile: index))
        }
    }
    @Test("a peer named three times at once is dialed once, and again once that dial ended", .timeLimit(.minutes(1)))
    func aPeerNamedTwiceAtOnceIsDialedOnce() async throws {
        let fixture = try TorrentFixture(fileLengths: [64 * 1024], seed: 35)
        // Dials leave from an address of their own, so that only this engine's count at the black hole.
        let holes = try await BlackHoles.start(count: 1, countingFrom: "127.0.0.85")
        var settings = EngineSettings()
        settings.outgoingAddress = try SocketAddress(ipAddress: "127.0.0.85", port: 0)
        settings.idleTimeout = .seconds(1)
        let engine = SwarmEngine(peerID: PeerID(bytes: Array("-SH0100-dialOnceOnly".utf8))!, settings: settings)
        let infoHash = fixture.metainfo.infoHash
        engine.addTorrent(fixture.metainfo, store: try await fixture.emptyStore())
        let port = holes.ports[0]
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await engine.run() }
            // A tracker, the remembered peers and the DHT may all name one peer within a moment.
            for _ in 0..<3 { engine.connect(host: "127.0.0.1", port: port, infoHash: infoHash) }
            try await eventually("the first dial", timeout: .seconds(20)) { holes.accepted >= 1 }
            try await Task.sleep(for: .milliseconds(500))
            #expect(holes.accepted == 1)
            // The black hole never answers: the connection goes idle and closes, and the peer may be dialed again.
            try await eventually("the idle connection to close", timeout: .seconds(20)) { holes.open == 0 }
            try await Task.sleep(for: .milliseconds(200))
            engine.connect(host: "127.0.0.1", port: port, infoHash: infoHash)
            try await eventually("the second dial", timeout: .seconds(20)) { holes.accepted >= 2 }
            engine.stop()
            try await group.waitForAll()
        }
        await holes.close()
    }
}
