import Swarm
import TestSupport
import Testing

@Suite struct ChokerSeedingTests {
    private let origin = ContinuousClock.now

    private func at(_ seconds: Double) -> ContinuousClock.Instant { origin + .seconds(seconds) }

    private func peer(_ id: Int, up: Double = 0, interested: Bool = true, snubbed: Bool = false) -> ChokerPeer<Int> {
        // Connected in id order: 0 is the oldest connection.
        ChokerPeer(
            id: id, isInterested: interested, isChoked: true, uploadRate: up, isSnubbed: snubbed,
            connectedAt: at(-1_000 + Double(id)))
    }

    private func applying(_ decision: ChokerDecision<Int>, to peers: [ChokerPeer<Int>]) -> [ChokerPeer<Int>] {
        peers.map { peer in
            var peer = peer
            peer.isChoked = !decision.unchoked.contains(peer.id)
            return peer
        }
    }

    @Test func uploadRateModeServesTheFastestDownloadersAndIgnoresSnubbing() {
        var choker = Choker<Int>(configuration: ChokerConfiguration(seedingMode: .uploadRate))
        var random = SeededRandom(seed: 11)
        let peers = [
            peer(0, up: 10), peer(1, up: 500, snubbed: true), peer(2, up: 300), peer(3, up: 200),
            peer(4, up: 400), peer(5, up: 5, interested: false),
        ]
        let decision = choker.rechoke(peers: peers, amSeeding: true, now: at(0), using: &random)
        #expect(decision.regular == [1, 4, 2, 3])
        #expect(decision.optimistic == 0)
    }

    @Test func leechingRanksByDownloadButSeedingByUpload() {
        let peers = [
            ChokerPeer(id: 0, isInterested: true, isChoked: true, downloadRate: 900, uploadRate: 1, connectedAt: at(0)),
            ChokerPeer(id: 1, isInterested: true, isChoked: true, downloadRate: 1, uploadRate: 900, connectedAt: at(0)),
        ]
        let configuration = ChokerConfiguration(regularSlots: 1, seedingMode: .uploadRate)
        var leeching = Choker<Int>(configuration: configuration)
        var seeding = Choker<Int>(configuration: configuration)
        var random = SeededRandom(seed: 12)
        #expect(leeching.rechoke(peers: peers, amSeeding: false, now: at(0), using: &random).regular == [0])
        #expect(seeding.rechoke(peers: peers, amSeeding: true, now: at(0), using: &random).regular == [1])
    }

    @Test func roundRobinGivesEveryInterestedPeerATurn() throws {
        var choker = Choker<Int>()
        var random = SeededRandom(seed: 13)
        var peers = (0..<6).map { peer($0, up: Double(1_000 * $0)) }

        var decision = choker.rechoke(peers: peers, amSeeding: true, now: at(0), using: &random)
        // Never served: the oldest connections first, whatever the rates.
        #expect(decision.regular == [0, 1, 2, 3])
        peers = applying(decision, to: peers)

        for time in [10.0, 20.0, 29.9] {
            decision = choker.rechoke(peers: peers, amSeeding: true, now: at(time), using: &random)
            #expect(decision.regular == [0, 1, 2, 3], "turns last 30 s")
            peers = applying(decision, to: peers)
        }

        decision = choker.rechoke(peers: peers, amSeeding: true, now: at(30), using: &random)
        // 4 and 5 never had a turn; of the four whose turn is over, 0 and 1 leave first.
        #expect(decision.regular == [4, 5, 3, 2])
        #expect([0, 1].contains(try #require(decision.optimistic)))
        peers = applying(decision, to: peers)

        decision = choker.rechoke(peers: peers, amSeeding: true, now: at(40), using: &random)
        // 0 and 1 have waited longest; 2 and 3 hand over.
        #expect(decision.regular == [4, 5, 0, 1])
        #expect([2, 3].contains(try #require(decision.optimistic)))
        peers = applying(decision, to: peers)

        decision = choker.rechoke(peers: peers, amSeeding: true, now: at(60), using: &random)
        #expect(decision.regular == [0, 1, 2, 3])
    }

    @Test func roundRobinHolderKeepsItsSlotWhileNobodyWaits() {
        var choker = Choker<Int>()
        var random = SeededRandom(seed: 14)
        let peers = (0..<4).map { peer($0) }
        let first = choker.rechoke(peers: peers, amSeeding: true, now: at(0), using: &random)
        let later = choker.rechoke(
            peers: applying(first, to: peers), amSeeding: true, now: at(300), using: &random)
        #expect(Set(later.regular) == [0, 1, 2, 3])
        #expect(later.optimistic == nil)
        #expect(later.choke.isEmpty && later.unchoke.isEmpty)
    }

    @Test func roundRobinNewcomerWaitsForTheNextTurnToEnd() {
        var choker = Choker<Int>()
        var random = SeededRandom(seed: 15)
        var peers = (0..<4).map { peer($0) }
        var decision = choker.rechoke(peers: peers, amSeeding: true, now: at(0), using: &random)
        peers = applying(decision, to: peers)
        peers.append(peer(4))
        decision = choker.rechoke(peers: peers, amSeeding: true, now: at(10), using: &random)
        #expect(decision.regular == [0, 1, 2, 3])
        #expect(decision.optimistic == 4)
        peers = applying(decision, to: peers)
        decision = choker.rechoke(peers: peers, amSeeding: true, now: at(30), using: &random)
        #expect(decision.regular == [4, 3, 2, 1])
        #expect(decision.optimistic == 0)
        #expect(decision.choke.isEmpty && decision.unchoke.isEmpty, "the same five peers stay unchoked")
    }

    @Test func roundRobinLosesInterestedPeersThatLeave() {
        var choker = Choker<Int>()
        var random = SeededRandom(seed: 16)
        var peers = (0..<5).map { peer($0) }
        var decision = choker.rechoke(peers: peers, amSeeding: true, now: at(0), using: &random)
        #expect(decision.regular == [0, 1, 2, 3])
        peers = applying(decision, to: peers)
        peers[1].isInterested = false
        decision = choker.rechoke(peers: peers, amSeeding: true, now: at(10), using: &random)
        #expect(decision.regular == [0, 2, 3, 4])
        #expect(decision.choke == [1])
    }
}
