import PeerWire
import PieceStorage
import Swarm
import SwarmEngine
import Testing
import TorrentModel

/// The choker wired into the engine: a seed with one regular slot never unchokes more than that slot plus
/// the optimistic one, yet by rotating turns every leecher is served.
@Suite("Choking in the engine")
struct ChokingTests {
    @Test("a seed with one regular slot serves at most two peers at a time, and all in turn", .timeLimit(.minutes(3)))
    func slotsAreRespectedAndRotate() async throws {
        let fixture = try TorrentFixture(fileLengths: [192 * 1024], seed: 41)
        let choker = ChokerConfiguration(
            regularSlots: 1, rechokeInterval: .milliseconds(200), optimisticInterval: .milliseconds(400),
            seedingTurnDuration: .milliseconds(400), newcomerSlots: 0)
        // Slow enough that the rounds matter: 64 KiB/s for 192 KiB.
        let seedSettings = EngineSettings(maximumUploadRate: 64 * 1024, choker: choker, tickInterval: .milliseconds(50))
        let seed = SwarmEngine(peerID: PeerID(bytes: Array("-SH0100-chokingSeed1".utf8))!, settings: seedSettings)
        let seedSession = seed.addTorrent(fixture.metainfo, store: try await fixture.seedStore())
        let port = try await seed.bind(host: "127.0.0.1", port: 0)
        var leechers: [(SwarmEngine, TorrentSession)] = []
        for index in 0..<3 {
            let engine = SwarmEngine(peerID: PeerID(bytes: Array("-SH0100-chokeLeech\(index)0".utf8))!)
            leechers.append((engine, engine.addTorrent(fixture.metainfo, store: try await fixture.emptyStore())))
        }
        let most = try await withThrowingTaskGroup(of: Void.self) { group -> Int in
            group.addTask { await seed.run() }
            for (engine, _) in leechers {
                group.addTask { await engine.run() }
                // Leechers know only the seed: everything they get comes through its slots.
                engine.connect(host: "127.0.0.1", port: port, infoHash: fixture.metainfo.infoHash)
            }
            var most = 0
            while await !leechers.asyncAllComplete() {
                most = max(most, await seedSession.unchokedPeerCount)
                try await Task.sleep(for: .milliseconds(5))
            }
            seed.stop()
            for (engine, _) in leechers { engine.stop() }
            try await group.waitForAll()
            return most
        }
        #expect(most >= 1 && most <= 2, "at most \(most) peers were unchoked at once")
    }
}

extension ChokingTests {
    @Test("newcomers get extra slots at once: three new leechers of a one-slot seed are served together")
    func newcomersAreUnchokedAtOnce() async throws {
        let fixture = try TorrentFixture(fileLengths: [192 * 1024], seed: 43)
        // Rounds far apart: only the rule for interested newcomers can unchoke the third leecher.
        let choker = ChokerConfiguration(
            regularSlots: 1, rechokeInterval: .seconds(600), optimisticInterval: .seconds(600), newcomerSlots: 2)
        let seedSettings = EngineSettings(maximumUploadRate: 16 * 1024, choker: choker)
        let seed = SwarmEngine(peerID: PeerID(bytes: Array("-SH0100-chokingSeed2".utf8))!, settings: seedSettings)
        let seedSession = seed.addTorrent(fixture.metainfo, store: try await fixture.seedStore())
        let port = try await seed.bind(host: "127.0.0.1", port: 0)
        var engines: [SwarmEngine] = []
        for index in 0..<3 {
            let engine = SwarmEngine(peerID: PeerID(bytes: Array("-SH0100-newLeecher\(index)0".utf8))!)
            engine.addTorrent(fixture.metainfo, store: try await fixture.emptyStore())
            engines.append(engine)
        }
        let most = try await withThrowingTaskGroup(of: Void.self) { group -> Int in
            group.addTask { await seed.run() }
            for engine in engines {
                group.addTask { await engine.run() }
                engine.connect(host: "127.0.0.1", port: port, infoHash: fixture.metainfo.infoHash)
            }
            var most = 0
            // A bound for failing, not a time limit (a loaded CI machine connected these late).
            let deadline = ContinuousClock.now + .seconds(120)
            while most < 3 && ContinuousClock.now < deadline {
                most = max(most, await seedSession.unchokedPeerCount)
                try await Task.sleep(for: .milliseconds(5))
            }
            seed.stop()
            for engine in engines { engine.stop() }
            try await group.waitForAll()
            return most
        }
        #expect(most == 3, "\(most) peers were unchoked at once")
    }
}

extension [(SwarmEngine, TorrentSession)] {
    fileprivate func asyncAllComplete() async -> Bool {
        for (_, session) in self where !(await session.isComplete) { return false }
        return true
    }
}
