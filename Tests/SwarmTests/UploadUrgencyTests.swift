import Swarm
import Testing
import TorrentModel

@Suite struct UploadUrgencyTests {
    let now = ContinuousClock.now

    @Test func onlyASeedMovesUpAPieceNoOtherPeerHas() {
        #expect(UploadUrgency.lead(holders: 0, isSeed: true) == SwarmSettings.seedOnlyPieceLead)
        #expect(UploadUrgency.lead(holders: 0, isSeed: true, seedOnlyLead: .milliseconds(250)) == .milliseconds(250))
        #expect(UploadUrgency.lead(holders: 1, isSeed: true) == .zero)
        #expect(UploadUrgency.lead(holders: 0, isSeed: false) == .zero)
    }

    /// The order a seed's queue serves a request of each peer in, each peer telling when it needs its piece.
    private func order(
        told: [Int: (piece: Int, due: ContinuousClock.Instant)], holders: [Int: Int], isSeed: Bool
    ) -> [Int] {
        var queue = UploadQueue<Int>()
        for (peer, need) in told.sorted(by: { $0.key > $1.key }) {
            queue.add(BlockRange(piece: need.piece, offset: 0, length: 16384), from: peer, at: now)
        }
        var peers: [Int] = []
        while let next = queue.next(
            now: now, sentLately: { _ in 0 },
            deadline: { peer, piece in told[peer].flatMap { $0.piece == piece ? $0.due : nil } },
            lead: { UploadUrgency.lead(holders: holders[$0] ?? 0, isSeed: isSeed) })
        {
            peers.append(next.peer)
        }
        return peers
    }

    @Test func aSeedsQueueServesTheFrontWatchersNewPieceBeforeANewcomersPieceOthersHave() {
        // Peer 1 plays in front and needs piece 40, which nobody else has, in 1.9 s; peer 2 just joined and needs
        // piece 3, which peer 1 has, in 1.5 s.
        let told = [1: (piece: 40, due: now + .milliseconds(1900)), 2: (piece: 3, due: now + .milliseconds(1500))]
        #expect(order(told: told, holders: [40: 0, 3: 1], isSeed: true) == [1, 2])
        #expect(order(told: told, holders: [40: 0, 3: 1], isSeed: false) == [2, 1])
        #expect(order(told: told, holders: [40: 1, 3: 1], isSeed: true) == [2, 1])
    }

    @Test func readAheadBeyondTheHorizonIsNotMovedUpBeforeANewcomersFirstPiece() {
        // Peer 1's piece 40 is due just beyond the horizon: less the lead it would come first, but it is read-ahead.
        let told = [
            1: (piece: 40, due: now + SwarmSettings.uploadDeadlineHorizon + .milliseconds(100)),
            2: (piece: 3, due: now + .milliseconds(1900)),
        ]
        #expect(order(told: told, holders: [40: 0, 3: 1], isSeed: true) == [2, 1])
    }
}
