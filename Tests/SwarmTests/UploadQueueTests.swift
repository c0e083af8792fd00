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
    }
}
