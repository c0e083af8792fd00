import NIOCore
import PeerWire
import Swarm
import SwarmEngine
import Synchronization
import Testing
import TorrentModel

/// A peer about to stall asks the peers that choke it for the pieces it needs within the upload horizon, and an
/// uploader unchokes it for them between choker rounds (`SwarmSettings.deadlineRescueSlots`).
@Suite("Deadline rescue")
struct DeadlineRescueTests {
    /// Whether each raw connection is unchoked now, and the deadlines it was told.
    final class Probe: Sendable {
        struct State {
            var unchoked: [Int: Bool] = [:]
            var told: [(piece: Int, dueIn: UInt32)] = []
            var requested: [Int] = []
        }
        let state = Mutex(State())

        func record(_ frame: PeerWireFrame, on connection: Int) {
            guard case .message(let message) = frame else { return }
            state.withLock { state in
                switch message {
                case .unchoke: state.unchoked[connection] = true
                case .choke: state.unchoked[connection] = false
                case .request(let block): state.requested.append(block.piece)
                case .extended(DeadlineExchangeTests.Arrivals.probeExtensionID, let payload):
                    if let decoded = try? DeadlineMessage.decode(payload) {
                        state.told += decoded.entries.map { ($0.piece, $0.dueIn) }
                    }
                default: break
                }
            }
        }

        func unchoked(_ connection: Int) -> Bool { state.withLock { $0.unchoked[connection] ?? false } }
    }

    static func tell(_ entries: [DeadlineMessage.Entry]) -> PeerWireFrame {
        .message(DeadlineMessage(entries: entries).message(extensionID: DeadlineMessage.localExtensionID))
    }

    @Test(
        "a choked peer that needs a piece within the horizon is unchoked at once; one needing it later is not",
        .timeLimit(.minutes(1)))
    func aChokedPeerAboutToStallIsUnchoked() async throws {
        let fixture = try TorrentFixture(fileLengths: [16 * 16 * 1024], seed: 51)
        // One slot (the optimistic one), rounds far apart: only a rescue can unchoke the second peer.
        let choker = ChokerConfiguration(
            regularSlots: 0, rechokeInterval: .seconds(600), optimisticInterval: .seconds(600), newcomerSlots: 0)
        let settings = EngineSettings(
            maximumUploadRate: 128 * 1024, choker: choker, tickInterval: .milliseconds(50))
        let probe = Probe()
        try await SwarmHarness(dials: [], settings: [0: settings]).run(
            metainfo: fixture.metainfo, stores: [try await fixture.seedStore()]
        ) { _, ports in
            let channels = [try await HostilePeer.dial(port: ports[0]), try await HostilePeer.dial(port: ports[0])]
            try await channels[0].executeThenClose { firstIn, firstOut in
                try await channels[1].executeThenClose { secondIn, secondOut in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for (connection, inbound) in [(0, firstIn), (1, secondIn)] {
                            group.addTask {
                                do {
                                    for try await frame in inbound { probe.record(frame, on: connection) }
                                } catch {
                                    // Closing at the end of the test ends the read.
                                }
                            }
                        }
                        let outbounds = [firstOut, secondOut]
                        for (index, outbound) in outbounds.enumerated() {
                            let id = PeerID(bytes: Array("-XX0000-rescue00000\(index)".utf8))!
                            try await outbound.write(
                                .handshake(Handshake(infoHash: fixture.metainfo.infoHash, peerID: id)))
                            let extensions = [
                                DeadlineMessage.extensionName: DeadlineExchangeTests.Arrivals.probeExtensionID
                            ]
                            try await outbound.write(.message(ExtensionHandshake(extensions: extensions).message))
                            try await outbound.write(.message(.haveNone))
                            try await outbound.write(.message(.interested))
                        }
                        try await DeadlineExchangeTests.waitUntil { probe.unchoked(0) || probe.unchoked(1) }
                        // Settled: the first round has run (ticks every 50 ms) and one peer holds the one slot.
                        try await Task.sleep(for: .milliseconds(500))
                        let held = probe.unchoked(0) ? 0 : 1
                        let choked = 1 - held
                        #expect(probe.unchoked(held) && !probe.unchoked(choked))
                        // Needed in a minute: no reason to unchoke it between rounds.
                        try await outbounds[choked].write(Self.tell([.init(piece: 3, dueIn: 60_000)]))
                        try await Task.sleep(for: .milliseconds(500))
                        #expect(!probe.unchoked(choked), "unchoked for a piece due in a minute")
                        // Needed within the 2-s horizon: unchoked at once. (1.5 s, not less: on a loaded machine the
                        // message may be read a while after it was sent, and a deadline 0.5 s past is stale.)
                        try await outbounds[choked].write(Self.tell([.init(piece: 4, dueIn: 1500)]))
                        try await DeadlineExchangeTests.waitUntil { probe.unchoked(choked) }
                        #expect(probe.unchoked(held), "the slot's holder keeps it")
                        group.cancelAll()
                        for channel in channels { try? await channel.channel.close() }
                    }
                }
            }
        }
    }

    @Test(
        "a watcher tells peers that choke it when it needs their pieces, only those due soon",
        .timeLimit(.minutes(1)))
    func aWatcherTellsChokingPeersWhatItNeedsSoon() async throws {
        let fixture = try TorrentFixture(fileLengths: [48 * 16 * 1024], seed: 53)
        let settings = EngineSettings(tickInterval: .milliseconds(50))
        let probe = Probe()
        try await SwarmHarness(dials: [], settings: [0: settings]).run(
            metainfo: fixture.metainfo, stores: [try await fixture.emptyStore()]
        ) { sessions, ports in
            let now = ContinuousClock.now
            // 10-13 are due within a second and urgent; 20-23 in a minute.
            await sessions[0].applyDeadlines(
                (10..<14).map { ($0, now + .seconds(1)) } + (20..<24).map { ($0, now + .seconds(60)) }, cleared: [],
                cancelCleared: false, urgentBefore: now + .seconds(2), order: .rarestWithinWindow)
            let seed = try await HostilePeer.dial(port: ports[0])
            try await seed.executeThenClose { inbound, outbound in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        do {
                            for try await frame in inbound { probe.record(frame, on: 0) }
                        } catch {
                            // Closing at the end of the test ends the read.
                        }
                    }
                    let id = PeerID(bytes: Array("-XX0000-chokingseed0".utf8))!
                    try await outbound.write(.handshake(Handshake(infoHash: fixture.metainfo.infoHash, peerID: id)))
                    let extensions = [DeadlineMessage.extensionName: DeadlineExchangeTests.Arrivals.probeExtensionID]
                    try await outbound.write(.message(ExtensionHandshake(extensions: extensions).message))
                    // Has every piece, and never unchokes.
                    try await outbound.write(.message(.haveAll))
                    try await DeadlineExchangeTests.waitUntil { probe.state.withLock { $0.told.count >= 4 } }
                    // A few more ticks: nothing else is told, and each piece once.
                    try await Task.sleep(for: .milliseconds(300))
                    group.cancelAll()
                    try? await seed.channel.close()
                }
            }
        }
        let state = probe.state.withLock { $0 }
        #expect(state.told.map(\.piece).sorted() == [10, 11, 12, 13], "told: \(state.told.map(\.piece))")
        #expect(state.told.allSatisfy { $0.dueIn <= 1000 }, "told: \(state.told)")
        #expect(state.requested.isEmpty, "requested of a peer that chokes us: \(state.requested)")
    }
}
