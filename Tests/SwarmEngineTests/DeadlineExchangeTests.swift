import NIOCore
import PeerWire
import SwarmEngine
import Synchronization
import Testing
import TorrentModel

/// An uploader with more requests than bandwidth serves first the pieces a peer said it needs soonest
/// (`shoal_deadline`), and a watcher tells its deadlines to the peers it requests from.
@Suite("Deadline exchange")
struct DeadlineExchangeTests {
    /// What two raw connections received, in one order.
    final class Arrivals: Sendable {
        struct State {
            var unchoked: Set<Int> = []
            /// (connection, piece) of each block, in arrival order.
            var blocks: [(connection: Int, piece: Int)] = []
            var offeredDeadlines: [Int: Bool] = [:]
            /// Pieces requested (`request`) and told (`shoal_deadline`, with milliseconds) in arrival order.
            var asked: [(piece: Int, toldDueIn: UInt32?)] = []
            /// (connection, piece) of each `reject request`, in arrival order.
            var rejected: [(connection: Int, piece: Int)] = []
        }
        let state = Mutex(State())

        func record(_ frame: PeerWireFrame, on connection: Int) {
            guard case .message(let message) = frame else { return }
            state.withLock { state in
                switch message {
                case .unchoke: state.unchoked.insert(connection)
                case .piece(let index, _, _): state.blocks.append((connection, index))
                case .rejectRequest(let block): state.rejected.append((connection, block.piece))
                case .request(let block): state.asked.append((block.piece, nil))
                case .extended(ExtensionHandshake.extendedMessageID, let payload):
                    let handshake = try? ExtensionHandshake(payload: payload)
                    state.offeredDeadlines[connection] =
                        handshake?.messageID(forExtension: DeadlineMessage.extensionName) != nil
                case .extended(Self.probeExtensionID, let payload):
                    if let decoded = try? DeadlineMessage.decode(payload) {
                        state.asked += decoded.entries.map { ($0.piece, $0.dueIn) }
                    }
                default: break
                }
            }
        }

        /// The ID the probes ask `shoal_deadline` messages to be sent with (not Shoal's, to catch mix-ups).
        static let probeExtensionID: UInt8 = 9
    }

    static func block(_ piece: Int) -> BlockRange { BlockRange(piece: piece, offset: 0, length: 16384) }

    /// Polls `condition`; fails the test after 20 s.
    static func waitUntil(_ condition: @escaping @Sendable () -> Bool) async throws {
        let giveUp = ContinuousClock.now + .seconds(20)
        while !condition() {
            guard ContinuousClock.now < giveUp else { throw WaitTimedOut() }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    struct WaitTimedOut: Error {}

    typealias Outbound = NIOAsyncChannelOutboundWriter<PeerWireFrame>

    /// A seed of `pieces` one-block pieces that sends 128 KiB/s (8 blocks a second), and two probes (connections 0
    /// and 1) dialed to it: each offers `shoal_deadline`, has nothing and is interested. Once the seed has unchoked
    /// both, `body` gets their writers; what they received is returned.
    static func probingACappedSeed(
        pieces: Int, seed: UInt64, _ body: @escaping @Sendable (Outbound, Outbound, Arrivals) async throws -> Void
    ) async throws -> Arrivals.State {
        let fixture = try TorrentFixture(fileLengths: [pieces * 16 * 1024], seed: seed)
        let store = try await fixture.seedStore()
        let harness = SwarmHarness(dials: [], settings: [0: EngineSettings(maximumUploadRate: 128 * 1024)])
        let arrivals = Arrivals()
        try await harness.run(metainfo: fixture.metainfo, stores: [store]) { _, ports in
            try await withTwoProbes(port: ports[0], infoHash: fixture.metainfo.infoHash, arrivals: arrivals) {
                try await body($0, $1, arrivals)
            }
        }
        return arrivals.state.withLock { $0 }
    }

    /// The probes of `probingACappedSeed`, dialed to `port`.
    private static func withTwoProbes(
        port: Int, infoHash: InfoHash, arrivals: Arrivals, _ body: (Outbound, Outbound) async throws -> Void
    ) async throws {
        let first = try await HostilePeer.dial(port: port)
        let second = try await HostilePeer.dial(port: port)
        try await first.executeThenClose { firstIn, firstOut in
            try await second.executeThenClose { secondIn, secondOut in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (connection, inbound) in [(0, firstIn), (1, secondIn)] {
                        group.addTask {
                            do {
                                for try await frame in inbound { arrivals.record(frame, on: connection) }
                            } catch {
                                // Closing at the end of the test ends the read.
                            }
                        }
                    }
                    for (index, outbound) in [firstOut, secondOut].enumerated() {
                        let id = PeerID(bytes: Array("-XX0000-deadline000\(index)".utf8))!
                        try await outbound.write(.handshake(Handshake(infoHash: infoHash, peerID: id)))
                        let extensions = [DeadlineMessage.extensionName: Arrivals.probeExtensionID]
                        try await outbound.write(.message(ExtensionHandshake(extensions: extensions).message))
                        try await outbound.write(.message(.haveNone))
                        try await outbound.write(.message(.interested))
                    }
                    try await Self.waitUntil { arrivals.state.withLock { $0.unchoked.count == 2 } }
                    try await body(firstOut, secondOut)
                    group.cancelAll()
                    try? await first.channel.close()
                    try? await second.channel.close()
                }
            }
        }
    }

    @Test(
        "a capped seed serves the requests due soonest first, whoever asked first", .timeLimit(.minutes(1)))
    func requestsDueSoonestGoFirst() async throws {
        // 48 pieces of one block each.
        let state = try await Self.probingACappedSeed(pieces: 48, seed: 41) { relaxedOut, hurriedOut, arrivals in
            // The hurried peer takes pieces 32-47 first: that empties the seed's one-second burst and
            // makes it the peer sent the most, which the seed would otherwise serve last.
            for piece in 32..<48 { try await hurriedOut.write(.message(.request(Self.block(piece)))) }
            try await Self.waitUntil { arrivals.state.withLock { $0.blocks.count == 16 } }
            // Then the relaxed peer asks for pieces 0-15 and says nothing of when it needs them; the
            // hurried one asks for 16-31, due within a second.
            for piece in 0..<16 { try await relaxedOut.write(.message(.request(Self.block(piece)))) }
            let due = (16..<32).map { DeadlineMessage.Entry(piece: $0, dueIn: 1000) }
            let told = DeadlineMessage(entries: due).message(extensionID: DeadlineMessage.localExtensionID)
            // A message the seed cannot read is ignored, not a reason to hang up.
            let garbled = PeerMessage.extended(
                id: DeadlineMessage.localExtensionID, payload: ByteBuffer(bytes: Array("d1:d3:abce".utf8)))
            try await hurriedOut.write(.message(garbled))
            try await hurriedOut.write(.message(told))
            for piece in 16..<32 { try await hurriedOut.write(.message(.request(Self.block(piece)))) }
            try await Self.waitUntil { arrivals.state.withLock { $0.blocks.count == 48 } }
        }
        #expect(state.offeredDeadlines == [0: true, 1: true], "the seed's extension handshake offers shoal_deadline")
        let contest = state.blocks.dropFirst(16)
        let lastHurried = try #require(contest.lastIndex { $0.connection == 1 })
        let relaxedBefore = contest[..<lastHurried].filter { $0.connection == 0 }.count
        // Only what the seed handed to its sockets before the hurried requests came may go first (2 blocks,
        // `uploadReleaseMinimumBlocks`, and a few more on a loaded machine, where the hurried requests come later);
        // by the other rules the relaxed peer, sent less, would have had all 16 first.
        let order = contest.map { "\($0.connection == 0 ? "r" : "h")\($0.piece)" }.joined(separator: " ")
        #expect(
            relaxedBefore <= 7, "the relaxed peer got \(relaxedBefore) blocks before the hurried one was done: \(order)"
        )
        #expect(state.blocks.filter { $0.connection == 0 }.count == 16)
    }

    @Test(
        "a busy seed holds back a watcher's piece far ahead of what the swarm has, unless it is due soon",
        .timeLimit(.minutes(1)))
    func aBusySeedHoldsBackPiecesFarAhead() async throws {
        // 160 pieces of one block each: 1 MiB is 64 of them. At 8 blocks a second, 32 requests make the seed busy
        // for seconds.
        let state = try await Self.probingACappedSeed(pieces: 160, seed: 47) { plainOut, watcherOut, arrivals in
            // The watcher plays at piece 0: it needs 0-31 within seconds, 100 in a minute, 120 in 3 s.
            // Nobody has any piece, so 100 lies 100 pieces past the first piece nobody has.
            let due =
                (0..<32).map { DeadlineMessage.Entry(piece: $0, dueIn: UInt32(1000 + 100 * $0)) }
                + [DeadlineMessage.Entry(piece: 100, dueIn: 60_000), .init(piece: 120, dueIn: 3000)]
            let told = DeadlineMessage(entries: due).message(extensionID: DeadlineMessage.localExtensionID)
            try await watcherOut.write(.message(told))
            for piece in [Int](0..<32) + [100, 120] {
                try await watcherOut.write(.message(.request(Self.block(piece))))
            }
            // A peer that tells no deadlines (any BitTorrent client) is never held back.
            try await plainOut.write(.message(.request(Self.block(110))))
            // Each of the 35 requests answered, with a block or a refusal.
            try await Self.waitUntil {
                arrivals.state.withLock { $0.blocks.count + $0.rejected.count >= 35 }
            }
        }
        #expect(state.rejected.map(\.connection) == [1] && state.rejected.map(\.piece) == [100])
        let watcherPieces = Set(state.blocks.filter { $0.connection == 1 }.map(\.piece))
        #expect(watcherPieces == Set(0..<32).union([120]))
        #expect(state.blocks.filter { $0.connection == 0 }.map(\.piece) == [110])
    }

    @Test("a watcher tells its deadlines before it requests those pieces, once each", .timeLimit(.minutes(1)))
    func aWatcherTellsItsDeadlines() async throws {
        let fixture = try TorrentFixture(fileLengths: [48 * 16 * 1024], seed: 43)
        let leecher = try await fixture.emptyStore()
        let arrivals = Arrivals()
        try await SwarmHarness(dials: []).run(metainfo: fixture.metainfo, stores: [leecher]) { sessions, ports in
            // Far enough ahead that a loaded machine's delays cannot make it overdue (told as 0).
            let due = ContinuousClock.now + .seconds(60)
            await sessions[0].applyDeadlines(
                (10..<14).map { ($0, due) }, cleared: [], cancelCleared: false, urgentBefore: nil)
            let seed = try await HostilePeer.dial(port: ports[0])
            try await seed.executeThenClose { inbound, outbound in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    let contents = fixture.contents(ofFile: 0)
                    group.addTask {
                        do {
                            for try await frame in inbound {
                                arrivals.record(frame, on: 0)
                                // Served with the right bytes, so the leecher's pipeline opens up.
                                guard case .message(.request(let block)) = frame else { continue }
                                let start = block.piece * 16384 + block.offset
                                let bytes = ByteBuffer(bytes: contents[start..<start + block.length])
                                try await outbound.write(
                                    .message(.piece(index: block.piece, begin: block.offset, block: bytes)))
                            }
                        } catch {
                            // Closing at the end of the test ends the read.
                        }
                    }
                    let id = PeerID(bytes: Array("-XX0000-deadlineseed".utf8))!
                    try await outbound.write(.handshake(Handshake(infoHash: fixture.metainfo.infoHash, peerID: id)))
                    let extensions = [DeadlineMessage.extensionName: Arrivals.probeExtensionID]
                    try await outbound.write(.message(ExtensionHandshake(extensions: extensions).message))
                    try await outbound.write(.message(.haveAll))
                    try await outbound.write(.message(.unchoke))
                    await sessions[0].waitUntilComplete()
                    group.cancelAll()
                    try? await seed.channel.close()
                }
            }
        }
        let asked = arrivals.state.withLock { $0.asked }
        let told = asked.filter { $0.toldDueIn != nil }
        #expect(told.map(\.piece).sorted() == [10, 11, 12, 13], "told: \(told.map(\.piece))")
        for entry in told {
            #expect(
                (30_000...60_000).contains(Int(entry.toldDueIn!)), "piece \(entry.piece) due in \(entry.toldDueIn!) ms")
        }
        // Each deadline comes before the piece's first request, and the pieces with deadlines are asked first.
        for piece in 10..<14 {
            let toldAt = asked.firstIndex { $0.piece == piece && $0.toldDueIn != nil }
            let requestedAt = asked.firstIndex { $0.piece == piece && $0.toldDueIn == nil }
            #expect(toldAt != nil && requestedAt != nil && toldAt! < requestedAt!, "piece \(piece)")
        }
        let requested = asked.filter { $0.toldDueIn == nil }.map(\.piece)
        #expect(Set(requested.prefix(4)) == Set(10..<14), "requested: \(requested)")
        #expect(requested.count == 48 && Set(requested).count == 48, "requested: \(requested)")
    }
}
