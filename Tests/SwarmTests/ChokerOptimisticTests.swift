import Swarm
import TestSupport
import Testing

@Suite struct ChokerOptimisticTests {
    private let origin = ContinuousClock.now

    private func at(_ seconds: Double) -> ContinuousClock.Instant { origin + .seconds(seconds) }

    private func peer(
        _ id: Int, down: Double = 0, interested: Bool = true, connected: Double = -1_000
    ) -> ChokerPeer<Int> {
        ChokerPeer(id: id, isInterested: interested, isChoked: true, downloadRate: down, connectedAt: at(connected))
    }

    private func applying(_ decision: ChokerDecision<Int>, to peers: [ChokerPeer<Int>]) -> [ChokerPeer<Int>] {
        peers.map { peer in
            var peer = peer
            peer.isChoked = !decision.unchoked.contains(peer.id)
            return peer
        }
    }

    /// Ten peers with distinct rates: 0…3 hold the regular slots, 4…9 compete for the optimistic one.
    private var tenPeers: [ChokerPeer<Int>] { (0..<10).map { peer($0, down: Double(100 - $0 * 10)) } }

    @Test func optimisticUnchokeRotatesExactlyEveryThirtySeconds() throws {
        var choker = Choker<Int>()
        var random = SeededRandom(seed: 21)
        var peers = tenPeers

        var decision = choker.rechoke(peers: peers, amSeeding: false, now: at(0), using: &random)
        let first = try #require(decision.optimistic)
        #expect((4..<10).contains(first))
        #expect(choker.optimisticSince == at(0))
        peers = applying(decision, to: peers)

        for time in [10.0, 20.0, 29.999] {
            decision = choker.rechoke(peers: peers, amSeeding: false, now: at(time), using: &random)
            #expect(decision.optimistic == first)
            #expect(decision.unchoke.isEmpty && decision.choke.isEmpty)
            peers = applying(decision, to: peers)
        }

        decision = choker.rechoke(peers: peers, amSeeding: false, now: at(30), using: &random)
        let second = try #require(decision.optimistic)
        #expect(second != first)
        #expect((4..<10).contains(second))
        #expect(choker.optimisticSince == at(30))
        #expect(decision.choke == [first])
        #expect(decision.unchoke == [second])
        peers = applying(decision, to: peers)

        decision = choker.rechoke(peers: peers, amSeeding: false, now: at(59.999), using: &random)
        #expect(decision.optimistic == second)
        decision = choker.rechoke(peers: peers, amSeeding: false, now: at(60), using: &random)
        #expect(decision.optimistic != second)
        #expect(choker.optimisticSince == at(60))
    }

    @Test func holderThatLosesInterestIsReplacedAtOnce() throws {
        var choker = Choker<Int>()
        var random = SeededRandom(seed: 22)
        var peers = tenPeers
        let decision = choker.rechoke(peers: peers, amSeeding: false, now: at(0), using: &random)
        let first = try #require(decision.optimistic)
        peers = applying(decision, to: peers)
        peers[first].isInterested = false
        let next = choker.rechoke(peers: peers, amSeeding: false, now: at(10), using: &random)
        let second = try #require(next.optimistic)
        #expect(second != first)
        #expect(choker.optimisticSince == at(10))
        #expect(next.choke == [first])
    }

    @Test func holderThatDisconnectsIsForgottenAndReplaced() throws {
        var choker = Choker<Int>()
        var random = SeededRandom(seed: 23)
        var peers = tenPeers
        let decision = choker.rechoke(peers: peers, amSeeding: false, now: at(0), using: &random)
        let first = try #require(decision.optimistic)
        peers = applying(decision, to: peers).filter { $0.id != first }
        let next = choker.rechoke(peers: peers, amSeeding: false, now: at(5), using: &random)
        #expect(try #require(next.optimistic) != first)
        #expect(choker.optimisticSince == at(5))
    }

    @Test func holderThatWinsARegularSlotFreesTheOptimisticOne() throws {
        var choker = Choker<Int>()
        var random = SeededRandom(seed: 24)
        var peers = tenPeers
        let decision = choker.rechoke(peers: peers, amSeeding: false, now: at(0), using: &random)
        let first = try #require(decision.optimistic)
        peers = applying(decision, to: peers)
        peers[first].downloadRate = 1_000
        let next = choker.rechoke(peers: peers, amSeeding: false, now: at(10), using: &random)
        #expect(next.regular == [first, 0, 1, 2])
        #expect(next.choke == [3])
        let second = try #require(next.optimistic)
        #expect(second != first && second != 3)
        #expect(next.unchoke == [second])
    }

    @Test func onlyCandidateKeepsTheSlotAcrossRotations() {
        var choker = Choker<Int>(configuration: ChokerConfiguration(regularSlots: 1))
        var random = SeededRandom(seed: 25)
        let peers = [peer(0, down: 10), peer(1)]
        #expect(choker.rechoke(peers: peers, amSeeding: false, now: at(0), using: &random).optimistic == 1)
        #expect(choker.rechoke(peers: peers, amSeeding: false, now: at(30), using: &random).optimistic == 1)
        #expect(choker.optimisticSince == at(30))
    }

    @Test func newPeersAreThreeTimesAsLikelyToBeChosen() {
        var random = SeededRandom(seed: 26)
        let configuration = ChokerConfiguration(regularSlots: 0)
        let trials = 4_000
        var newWins = 0
        for _ in 0..<trials {
            var choker = Choker<Int>(configuration: configuration)
            // Peer 1 connected 10 s ago (new), peer 0 long ago.
            let peers = [peer(0, connected: -1_000), peer(1, connected: -10)]
            if choker.rechoke(peers: peers, amSeeding: false, now: at(0), using: &random).optimistic == 1 {
                newWins += 1
            }
        }
        // Expected 3,000 (3 tickets of 4); the standard deviation is about 27.
        #expect((2_850...3_150).contains(newWins), "new peer won \(newWins) of \(trials)")
    }

    @Test func peersStopBeingNewAfterTheWindow() {
        var random = SeededRandom(seed: 27)
        let configuration = ChokerConfiguration(regularSlots: 0)
        var newWins = 0
        for _ in 0..<4_000 {
            var choker = Choker<Int>(configuration: configuration)
            // Connected exactly 60 s ago: no longer new, so both have one ticket.
            let peers = [peer(0, connected: -1_000), peer(1, connected: -60)]
            if choker.rechoke(peers: peers, amSeeding: false, now: at(0), using: &random).optimistic == 1 {
                newWins += 1
            }
        }
        #expect((1_850...2_150).contains(newWins), "peer won \(newWins) of 4000")
    }
}
