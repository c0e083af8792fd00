import Swarm
import Testing
import TorrentModel

@Suite struct UploadUrgencyTests {
    let now = ContinuousClock.now

    @Test func aSeedTakesAPieceOnlyItHasAndDueWithinTheHorizonToBeDueEarlier() {
        let told = now + .milliseconds(1500)
        #expect(
            UploadUrgency.due(told: told, holders: 0, isSeed: true, now: now) == told - SwarmSettings.seedOnlyPieceLead)
        #expect(
            UploadUrgency.due(told: told, holders: 0, isSeed: true, now: now, lead: .milliseconds(250))
                == told - .milliseconds(250))
    }

    @Test func readAheadAPieceOthersHaveAndAnUploaderThatIsNoSeedKeepTheToldDeadline() {
        let soon = now + .milliseconds(1500)
        let later = now + SwarmSettings.uploadDeadlineHorizon + .milliseconds(1)
        #expect(UploadUrgency.due(told: later, holders: 0, isSeed: true, now: now) == later)
        #expect(UploadUrgency.due(told: soon, holders: 1, isSeed: true, now: now) == soon)
        #expect(UploadUrgency.due(told: soon, holders: 0, isSeed: false, now: now) == soon)
        #expect(UploadUrgency.due(told: nil, holders: 0, isSeed: true, now: now) == nil)
    }

    @Test func aSeedsQueueServesTheFrontWatchersNewPieceBeforeANewcomersPieceOthersHave() {
        // Peer 1 plays in front and needs piece 40, which nobody else has, in 1.9 s; peer 2 just joined and needs
        // piece 3, which peer 1 has, in 1.5 s.
        let told: [Int: (piece: Int, due: ContinuousClock.Instant)] = [
            1: (40, now + .milliseconds(1900)), 2: (3, now + .milliseconds(1500)),
        ]
        let holders = [40: 0, 3: 1]
        func order(isSeed: Bool) -> [Int] {
            var queue = UploadQueue<Int>()
            queue.add(BlockRange(piece: 3, offset: 0, length: 16384), from: 2, at: now)
            queue.add(BlockRange(piece: 40, offset: 0, length: 16384), from: 1, at: now)
            var peers: [Int] = []
            while let next = queue.next(
                now: now, sentLately: { _ in 0 },
                deadline: { peer, piece in
                    UploadUrgency.due(
                        told: told[peer].flatMap { $0.piece == piece ? $0.due : nil }, holders: holders[piece] ?? 0,
                        isSeed: isSeed, now: now)
                })
            {
                peers.append(next.peer)
            }
            return peers
        }
        #expect(order(isSeed: true) == [1, 2])
        #expect(order(isSeed: false) == [2, 1])
    }
}
