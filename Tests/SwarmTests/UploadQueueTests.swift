import Swarm
import Testing
import TorrentModel

struct UploadQueueTests {
    let start = ContinuousClock.now

    func at(_ seconds: Double) -> ContinuousClock.Instant { start + .seconds(seconds) }
    func block(_ piece: Int, _ offset: Int = 0) -> BlockRange {
        BlockRange(piece: piece, offset: offset, length: 16384)
    }

    @Test func lowerPiecesGoFirstThenArrivalOrder() {
        var queue = UploadQueue<Int>()
        queue.add(block(9), from: 1, at: at(0))
        queue.add(block(2, 16384), from: 1, at: at(0.1))
        queue.add(block(2), from: 2, at: at(0.2))
        queue.add(block(2), from: 3, at: at(0.3))
        queue.add(block(5), from: 2, at: at(0.4))
        var order: [UploadQueue<Int>.Request] = []
        while let next = queue.next(now: at(1), sentLately: { _ in 0 }) { order.append(next) }
        #expect(order.map(\.block.piece) == [2, 2, 2, 5, 9])
        #expect(order.map(\.peer) == [2, 3, 1, 2, 1])
        #expect(order[2].block.offset == 16384)
        #expect(queue.isEmpty)
    }

    @Test func thePeerSentTheLeastGoesFirst() {
        var queue = UploadQueue<Int>()
        queue.add(block(1), from: 1, at: at(0))
        queue.add(block(7), from: 2, at: at(0.1))
        queue.add(block(3), from: 2, at: at(0.2))
        queue.add(block(2), from: 3, at: at(0.3))
        let sent: [Int: Double] = [1: 50_000, 2: 0, 3: 10_000]
        var order: [Int] = []
        while let next = queue.next(now: at(1), sentLately: { sent[$0]! }) { order.append(next.block.piece) }
        #expect(order == [3, 7, 2, 1])
    }

    @Test func aRequestWaitingTooLongGoesFirst() {
        var queue = UploadQueue<Int>(maximumWait: .seconds(3))
        queue.add(block(40), from: 1, at: at(0))
        queue.add(block(1), from: 2, at: at(2))
        let first = queue.next(now: at(2.9), sentLately: { _ in 0 })
        queue.add(block(0), from: 2, at: at(2.95))
        let second = queue.next(now: at(3), sentLately: { _ in 0 })
        let third = queue.next(now: at(3), sentLately: { _ in 0 })
        let none = queue.next(now: at(3), sentLately: { _ in 0 })
        #expect([first, second, third].map { $0?.block.piece } == [1, 40, 0])
        #expect(none == nil)
    }

    @Test func aPieceBegunIsFinishedBeforeAnotherBegins() {
        var queue = UploadQueue<Int>()
        // Three peers ask for the blocks of three pieces; peer 1 has been sent the least.
        for offset in stride(from: 0, to: 3 * 16384, by: 16384) {
            queue.add(block(5, offset), from: 2, at: at(0))
            queue.add(block(7, offset), from: 1, at: at(0))
            queue.add(block(6, offset), from: 3, at: at(0))
        }
        // Each block sent raises its peer's upload rate, as the engine's measure does.
        var sent: [Int: Double] = [1: 0, 2: 1_000, 3: 2_000]
        var order: [String] = []
        for step in 0..<9 {
            guard let next = queue.next(now: at(1 + Double(step) * 0.01), sentLately: { sent[$0]! }) else { break }
            sent[next.peer, default: 0] += 16384
            order.append("\(next.peer):\(next.block.piece)+\(next.block.offset / 16384)")
        }
        // Served by the least sent alone, the peers would take turns a block at a time; each piece goes out whole.
        #expect(order == ["1:7+0", "1:7+1", "1:7+2", "2:5+0", "2:5+1", "2:5+2", "3:6+0", "3:6+1", "3:6+2"])
        #expect(queue.isEmpty)
    }

    @Test func theEarliestBegunPieceGoesOnFirstAndALeavingPeerForgetsItsPiece() {
        var queue = UploadQueue<Int>()
        queue.add(block(3), from: 1, at: at(0))
        queue.add(block(4), from: 2, at: at(0))
        // Peer 1 is sent the least at first, then the most.
        var sent: [Int: Double] = [1: 0, 2: 1_000]
        let first = queue.next(now: at(1), sentLately: { sent[$0]! })
        let second = queue.next(now: at(1.1), sentLately: { sent[$0]! })
        #expect(first?.peer == 1 && second?.peer == 2)
        // Both have a piece underway; peer 1's began first, so its next block goes first though it was sent more.
        sent[1] = 5_000
        queue.add(block(4, 16384), from: 2, at: at(1.2))
        queue.add(block(3, 16384), from: 1, at: at(1.3))
        #expect(queue.next(now: at(1.4), sentLately: { sent[$0]! })?.block == block(3, 16384))
        #expect(queue.next(now: at(1.5), sentLately: { sent[$0]! })?.block == block(4, 16384))
        // A peer that was choked or left starts afresh: its old piece is not underway any more.
        queue.add(block(3, 32768), from: 1, at: at(1.6))
        _ = queue.removeAll(of: 1)
        queue.add(block(3, 32768), from: 1, at: at(1.7))
        queue.add(block(9), from: 2, at: at(1.7))
        #expect(queue.next(now: at(1.8), sentLately: { sent[$0]! })?.peer == 2)
    }

    @Test func duplicatesCancelsAndPeersThatLeave() {
        var queue = UploadQueue<Int>()
        let added = [
            queue.add(block(1), from: 1, at: at(0)), queue.add(block(1), from: 1, at: at(0.1)),
            queue.add(block(1), from: 2, at: at(0.1)), queue.add(block(3), from: 1, at: at(0.2)),
            queue.add(block(4), from: 1, at: at(0.3)),
        ]
        #expect(added == [true, false, true, true, true])
        #expect(queue.count == 4 && queue.count(of: 1) == 3)
        let cancelled = [
            queue.cancel(block(3), from: 1), queue.cancel(block(3), from: 1), queue.cancel(block(1), from: 3),
        ]
        #expect(cancelled == [true, false, false])
        let removed = queue.removeAll(of: 1)
        #expect(removed == [block(1), block(4)])
        #expect(queue.count == 1 && queue.count(of: 1) == 0)
        let next = queue.next(now: at(1), sentLately: { _ in 0 })
        #expect(next == UploadQueue<Int>.Request(peer: 2, block: block(1)))
        // It says when it was asked (the seed counts a refusal's grace from then).
        #expect(next?.arrival == at(0.1))
    }

    @Test func piecesDueWithinTheHorizonGoFirstEarliestDueFirst() {
        var queue = UploadQueue<Int>(maximumWait: .seconds(3), deadlineHorizon: .seconds(8))
        // Peer 1 has been sent the least and asks for the lowest piece, but said nothing of when it needs it.
        queue.add(block(1), from: 1, at: at(0))
        queue.add(block(30), from: 2, at: at(0))
        queue.add(block(31), from: 2, at: at(0))
        queue.add(block(20), from: 3, at: at(0))
        queue.add(block(21), from: 3, at: at(0))
        let due: [Int: [Int: Double]] = [2: [30: 6, 31: 2], 3: [20: 4, 21: 12]]
        let sent: [Int: Double] = [1: 0, 2: 50_000, 3: 50_000]
        var order: [Int] = []
        while let next = queue.next(
            now: at(1), sentLately: { sent[$0]! }, deadline: { peer, piece in due[peer]?[piece].map(at) })
        {
            order.append(next.block.piece)
        }
        // 31 (due at 2), 20 (4), 30 (6); 21 is due beyond the horizon (12 > 1 + 8) and goes by the other rules.
        #expect(order == [31, 20, 30, 1, 21])
    }

    @Test func aRequestWaitingTooLongGoesBeforeOnesDueSoon() {
        var queue = UploadQueue<Int>(maximumWait: .seconds(3), deadlineHorizon: .seconds(8))
        queue.add(block(40), from: 1, at: at(0))
        queue.add(block(2), from: 2, at: at(2))
        let deadline: (Int, Int) -> ContinuousClock.Instant? = { peer, _ in peer == 2 ? at(3) : nil }
        #expect(queue.next(now: at(3), sentLately: { _ in 0 }, deadline: deadline)?.block.piece == 40)
        #expect(queue.next(now: at(3), sentLately: { _ in 0 }, deadline: deadline)?.block.piece == 2)
    }
}
