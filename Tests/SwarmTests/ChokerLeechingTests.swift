import Swarm
import TestSupport
import Testing

@Suite struct ChokerLeechingTests {
    private let origin = ContinuousClock.now

    private func at(_ seconds: Double) -> ContinuousClock.Instant { origin + .seconds(seconds) }

    private func peer(
        _ id: Int, down: Double = 0, up: Double = 0, interested: Bool = true, choked: Bool = true,
        snubbed: Bool = false, seed: Bool = false, connected: Double = -1_000
    ) -> ChokerPeer<Int> {
        ChokerPeer(
            id: id, isInterested: interested, isChoked: choked, downloadRate: down, uploadRate: up,
            isSnubbed: snubbed, isSeed: seed, connectedAt: at(connected))
    }

    /// The peers as the wire looks after the engine sent the decision's messages.
    private func applying(_ decision: ChokerDecision<Int>, to peers: [ChokerPeer<Int>]) -> [ChokerPeer<Int>] {
        peers.map { peer in
            var peer = peer
            peer.isChoked = !decision.unchoked.contains(peer.id)
            return peer
        }
    }

    @Test func regularSlotsGoToTheFastestUploadersToUs() throws {
        var choker = Choker<Int>()
        var random = SeededRandom(seed: 1)
        let rates: [Double] = [10, 50, 30, 20, 40, 60]
        let peers = rates.enumerated().map { peer($0.offset, down: $0.element) }
        let decision = choker.rechoke(peers: peers, amSeeding: false, now: at(0), using: &random)
        #expect(decision.regular == [5, 1, 4, 2])
        let optimistic = try #require(decision.optimistic)
        #expect([0, 3].contains(optimistic))
        #expect(decision.unchoked == Set([5, 1, 4, 2, optimistic]))
        #expect(decision.unchoke == [0, 1, 2, 3, 4, 5].filter { decision.unchoked.contains($0) })
        #expect(decision.choke.isEmpty)
    }

    @Test func exchangeModeCountsWhatWeSendAPeerToo() {
        // Peer 0 is behind us in the video: it sends us little, and we send it the most. Tit-for-tat drops it; the
        // exchange mode keeps it, and drops the peer trading the least both ways instead. A snubbed peer gets no
        // regular slot in either mode, whatever we send it.
        let peers = [
            peer(0, down: 10, up: 100), peer(1, down: 50), peer(2, down: 40, up: 5), peer(3, down: 30),
            peer(4, down: 20), peer(5, down: 0, up: 500, snubbed: true),
        ]
        var random = SeededRandom(seed: 5)
        var reciprocating = Choker<Int>()
        #expect(reciprocating.configuration.leechingMode == .reciprocate)
        #expect(
            reciprocating.rechoke(peers: peers, amSeeding: false, now: at(0), using: &random).regular == [1, 2, 3, 4])
        var exchanging = Choker<Int>(configuration: ChokerConfiguration(leechingMode: .exchange))
        #expect(exchanging.rechoke(peers: peers, amSeeding: false, now: at(0), using: &random).regular == [0, 1, 2, 3])
        // Switched at run time, the next round ranks the new way.
        reciprocating.setLeechingMode(.exchange)
        let next = reciprocating.rechoke(peers: peers, amSeeding: false, now: at(10), using: &random)
        #expect(next.regular == [0, 1, 2, 3])
    }

    @Test func sameSeedGivesTheSameDecision() {
        let peers = (0..<8).map { peer($0, down: Double($0)) }
        var first = Choker<Int>()
        var second = Choker<Int>()
        var randomA = SeededRandom(seed: 99)
        var randomB = SeededRandom(seed: 99)
        let a = first.rechoke(peers: peers, amSeeding: false, now: at(0), using: &randomA)
        let b = second.rechoke(peers: peers, amSeeding: false, now: at(0), using: &randomB)
        #expect(a.regular == [7, 6, 5, 4])
        #expect(a.optimistic == b.optimistic)
        #expect(a.unchoke == b.unchoke)
    }

    @Test func uninterestedPeersAreNeverUnchokedAndUseNoSlot() {
        var choker = Choker<Int>()
        var random = SeededRandom(seed: 2)
        let peers = [
            peer(0, down: 100, interested: false, choked: false),
            peer(1, down: 90),
            peer(2, down: 80, interested: false),
            peer(3, down: 70),
            peer(4, down: 60),
            peer(5, down: 50),
        ]
        let decision = choker.rechoke(peers: peers, amSeeding: false, now: at(0), using: &random)
        #expect(decision.regular == [1, 3, 4, 5])
        #expect(decision.optimistic == nil, "nobody is left for the optimistic slot")
        #expect(decision.choke == [0])
        #expect(decision.unchoke == [1, 3, 4, 5])
        #expect(decision.actions == [.choke(0), .unchoke(1), .unchoke(3), .unchoke(4), .unchoke(5)])
    }

    @Test func tiesGoToUnchokedThenLongestConnectedThenInputOrder() throws {
        var choker = Choker<Int>()
        var random = SeededRandom(seed: 3)
        let peers = [
            peer(0, connected: -100),
            peer(1, connected: -100),
            peer(2, connected: -100),
            peer(3, connected: -500),
            peer(4, choked: false, connected: -100),
            peer(5, choked: false, connected: -100),
        ]
        let decision = choker.rechoke(peers: peers, amSeeding: false, now: at(0), using: &random)
        #expect(decision.regular == [4, 5, 3, 0])
        #expect([1, 2].contains(try #require(decision.optimistic)))
    }

    @Test func snubbedPeersGetNoRegularSlotButMayBeOptimistic() {
        var choker = Choker<Int>()
        var random = SeededRandom(seed: 4)
        let peers = [
            peer(0, down: 1_000, choked: false, snubbed: true),
            peer(1, down: 50),
            peer(2, down: 40),
            peer(3, down: 30),
            peer(4, down: 20),
        ]
        let decision = choker.rechoke(peers: peers, amSeeding: false, now: at(0), using: &random)
        #expect(decision.regular == [1, 2, 3, 4])
        #expect(decision.optimistic == 0)
        #expect(decision.choke.isEmpty)
    }

    @Test func regularHolderThatSnubsUsLosesItsSlot() throws {
        var choker = Choker<Int>()
        var random = SeededRandom(seed: 5)
        var peers = (0..<5).map { peer($0, down: Double(100 - $0 * 10)) }
        let first = choker.rechoke(peers: peers, amSeeding: false, now: at(0), using: &random)
        #expect(first.regular == [0, 1, 2, 3])
        #expect(first.optimistic == 4)
        peers = applying(first, to: peers)
        peers[1].isSnubbed = true
        peers.append(peer(5, down: 1))
        let second = choker.rechoke(peers: peers, amSeeding: false, now: at(10), using: &random)
        #expect(!second.regular.contains(1))
        #expect(second.regular == [0, 2, 3, 4])
        // The optimistic holder won a regular slot, so the draw is between the snubbed peer and the newcomer.
        #expect([1, 5].contains(try #require(second.optimistic)))
    }

    @Test func interestChangesTakeEffectAtTheNextRound() {
        var choker = Choker<Int>(configuration: ChokerConfiguration(regularSlots: 2))
        var random = SeededRandom(seed: 6)
        var peers = [peer(0, down: 30), peer(1, down: 20), peer(2, down: 10), peer(3, down: 500, interested: false)]
        let first = choker.rechoke(peers: peers, amSeeding: false, now: at(0), using: &random)
        #expect(first.regular == [0, 1])
        #expect(first.optimistic == 2)
        peers = applying(first, to: peers)

        peers[0].isInterested = false
        peers[3].isInterested = true
        let second = choker.rechoke(peers: peers, amSeeding: false, now: at(10), using: &random)
        #expect(second.regular == [3, 1])
        #expect(second.optimistic == 2)
        #expect(second.choke == [0])
        #expect(second.unchoke == [3])
    }

    @Test func seedsAreNeverUnchoked() {
        var choker = Choker<Int>()
        var random = SeededRandom(seed: 7)
        let peers = [peer(0, down: 1_000, seed: true), peer(1, down: 10)]
        let decision = choker.rechoke(peers: peers, amSeeding: false, now: at(0), using: &random)
        #expect(decision.regular == [1])
        #expect(decision.optimistic == nil)
        #expect(decision.unchoked == [1])
    }

    @Test func slotCountIsConfigurable() {
        let peers = (0..<6).map { peer($0, down: Double($0)) }
        var two = Choker<Int>(configuration: ChokerConfiguration(regularSlots: 2))
        var random = SeededRandom(seed: 8)
        #expect(two.rechoke(peers: peers, amSeeding: false, now: at(0), using: &random).regular == [5, 4])

        var none = Choker<Int>(configuration: ChokerConfiguration(regularSlots: 0))
        let onlyOptimistic = none.rechoke(peers: peers, amSeeding: false, now: at(0), using: &random)
        #expect(onlyOptimistic.regular.isEmpty)
        #expect(onlyOptimistic.unchoked.count == 1)
    }

    @Test func peerListedTwiceCountsOnce() {
        var choker = Choker<Int>(configuration: ChokerConfiguration(regularSlots: 2))
        var random = SeededRandom(seed: 9)
        let peers = [peer(0, down: 50), peer(0, down: 50), peer(1, down: 10)]
        let decision = choker.rechoke(peers: peers, amSeeding: false, now: at(0), using: &random)
        #expect(decision.regular == [0, 1])
        #expect(decision.unchoke == [0, 1])
    }

    @Test func roundIsDueEveryTenSeconds() {
        var choker = Choker<Int>()
        var random = SeededRandom(seed: 10)
        #expect(choker.isRoundDue(now: at(0)))
        _ = choker.rechoke(peers: [peer(0)], amSeeding: false, now: at(0), using: &random)
        #expect(choker.lastRound == at(0))
        #expect(!choker.isRoundDue(now: at(9.9)))
        #expect(choker.isRoundDue(now: at(10)))
    }

    @Test func betweenRoundsAPeerARoundWouldRankGetsItsRegularSlotAtOnce() {
        // The round ran while peer 0 wanted nothing from us, and the peers we send to took every slot. Then peer 0,
        // which sends us the most, becomes interested: a round now would rank it, so its slot is due at once, and
        // only its: the others a round would not rank wait for the round.
        var choker = Choker<Int>(configuration: ChokerConfiguration(leechingMode: .exchange))
        var random = SeededRandom(seed: 3)
        var peers = [peer(0, interested: false)] + (1...5).map { peer($0, up: Double($0)) } + [peer(6, up: 0.5)]
        peers = applying(choker.rechoke(peers: peers, amSeeding: false, now: at(0), using: &random), to: peers)
        #expect(choker.regularSlotsDue(peers: peers, amSeeding: false).isEmpty)
        peers[0] = peer(0, down: 300)
        #expect(choker.regularSlotsDue(peers: peers, amSeeding: false) == [0])
        // Seeding, rounds alone decide; a snubbed peer or a seed ranks for no regular slot.
        #expect(choker.regularSlotsDue(peers: peers, amSeeding: true).isEmpty)
        peers[0] = peer(0, down: 300, snubbed: true)
        #expect(choker.regularSlotsDue(peers: peers, amSeeding: false).isEmpty)
        peers[0] = peer(0, down: 300, seed: true)
        #expect(choker.regularSlotsDue(peers: peers, amSeeding: false).isEmpty)
    }
}
