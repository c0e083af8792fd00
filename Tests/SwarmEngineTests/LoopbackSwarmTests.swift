import PeerWire
import PieceStorage
import SwarmEngine
import Testing
import TorrentModel

/// A whole swarm in one process over 127.0.0.1: one seed, four leechers, a leecher that leaves early and
/// one that joins late, for several piece lengths. Every leecher that stays ends byte-identical.
@Suite("Loopback swarm with churn")
struct LoopbackSwarmTests {
    /// One engine with one torrent, running in a task of the test's group.
    struct Node {
        let engine: SwarmEngine
        let session: TorrentSession
        let store: MemoryStorage
        let port: Int
    }

    private func makeNode(
        _ index: Int, fixture: TorrentFixture, store: MemoryStorage, settings: EngineSettings = EngineSettings()
    ) async throws -> Node {
        let id = PeerID(bytes: Array("-SH0100-loopback\(1000 + index)".utf8.prefix(20)))!
        let engine = SwarmEngine(peerID: id, settings: settings)
        let session = engine.addTorrent(fixture.metainfo, store: store)
        let port = try await engine.bind(host: "127.0.0.1", port: 0)
        return Node(engine: engine, session: session, store: store, port: port)
    }

    private func dial(_ from: Node, _ to: Node, _ infoHash: InfoHash) {
        from.engine.connect(host: "127.0.0.1", port: to.port, infoHash: infoHash)
    }

    /// Waits until `session` has verified at least `count` pieces.
    private func waitForPieces(_ session: TorrentSession, atLeast count: Int) async throws {
        while await session.verifiedPieceCount < count {
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    @Test(
        "seed, four leechers, an early leaver and a late joiner", .timeLimit(.minutes(3)),
        arguments: [16 * 1024, 64 * 1024, 256 * 1024])
    func churn(pieceLength: Int) async throws {
        let fixture = try TorrentFixture(
            fileLengths: [700_000, 1_300_001, 12_345], pieceLength: pieceLength, seed: UInt64(pieceLength))
        let infoHash = fixture.metainfo.infoHash
        let pieceCount = fixture.metainfo.pieceCount
        // A slow seed (1 MiB/s) makes the leechers trade among themselves and gives churn time to matter.
        let seed = try await makeNode(
            0, fixture: fixture, store: try await fixture.seedStore(),
            settings: EngineSettings(maximumUploadRate: 1024 * 1024))
        var leechers: [Node] = []
        for index in 1...4 {
            leechers.append(try await makeNode(index, fixture: fixture, store: try await fixture.emptyStore()))
        }
        let late = try await makeNode(5, fixture: fixture, store: try await fixture.emptyStore())
        let leaver = leechers[3]

        try await withThrowingTaskGroup(of: Void.self) { group in
            for node in [seed] + leechers + [late] { group.addTask { await node.engine.run() } }
            defer { for node in [seed] + leechers + [late] { node.engine.stop() } }
            for (index, leecher) in leechers.enumerated() {
                dial(leecher, seed, infoHash)
                for other in leechers[..<index] { dial(leecher, other, infoHash) }
            }
            // The early leaver goes once it holds a quarter of the pieces (its engine stops: every
            // connection closes and the others must re-request what it owed them).
            try await waitForPieces(leaver.session, atLeast: max(1, pieceCount / 4))
            leaver.engine.stop()
            // The late joiner comes when the first leecher has half, and knows only two leechers and the seed.
            try await waitForPieces(leechers[0].session, atLeast: pieceCount / 2)
            dial(late, leechers[0], infoHash)
            dial(late, leechers[1], infoHash)
            dial(late, seed, infoHash)
            await waitForAll(leechers[0..<3].map(\.session) + [late.session])
            for node in [seed] + leechers + [late] { node.engine.stop() }
            try await group.waitForAll()
        }

        for node in leechers[0..<3] + [late] {
            #expect(node.store.completion.verified.isComplete)
            for index in fixture.metainfo.files.indices {
                #expect(await node.store.fileContents(index) == fixture.contents(ofFile: index), "file \(index)")
            }
        }
        // The leaver kept only verified pieces, and they hold the right bytes.
        let kept = leaver.store.completion.verified
        #expect(kept.setCount >= max(1, pieceCount / 4) && !kept.isComplete)
        for piece in 0..<pieceCount where kept[piece] {
            let range = fixture.metainfo.geometry.byteRange(ofPiece: piece)
            let bytes = try await leaver.store.readBlock(piece: piece, offset: 0, length: Int(range.count))
            #expect(bytes == Array(fixture.stream[Int(range.lowerBound)..<Int(range.upperBound)]), "piece \(piece)")
        }
    }

    @Test("two peers that dial each other keep one connection, and the swarm completes", .timeLimit(.minutes(1)))
    func crossedDialsKeepOneConnection() async throws {
        let fixture = try TorrentFixture(fileLengths: [600 * 1024], seed: 11)
        let seed = try await fixture.seedStore()
        let leecher = try await fixture.emptyStore()
        try await SwarmHarness(dials: [(from: 0, to: 1), (from: 1, to: 0), (from: 1, to: 0)]).run(
            metainfo: fixture.metainfo, stores: [seed, leecher]
        ) { sessions, _ in
            await sessions[1].waitUntilComplete()
            // Both ends settle on the same single connection (the one dialed by the lower peer ID).
            let deadline = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < deadline {
                let counts = [await sessions[0].connectedPeerCount, await sessions[1].connectedPeerCount]
                if counts == [1, 1] { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(await sessions[0].connectedPeerCount == 1)
            #expect(await sessions[1].connectedPeerCount == 1)
        }
        #expect(await leecher.fileContents(0) == fixture.contents(ofFile: 0))
    }
}
