import Swarm
import Testing
import TorrentModel

@Suite struct PeerRequestQueueArrivalTests {
    private let origin = ContinuousClock.now

    private func at(_ seconds: Double) -> ContinuousClock.Instant { origin + .seconds(seconds) }

    private func block(_ piece: Int, _ index: Int, length: Int = TorrentLimits.blockSize) -> BlockRange {
        BlockRange(piece: piece, offset: index * TorrentLimits.blockSize, length: length)
    }

    private func unchokedQueue(fast: Bool = false) -> PeerRequestQueue {
        var queue = PeerRequestQueue(supportsFastExtension: fast)
        queue.unchoked()
        return queue
    }

    @Test func requestedBlockIsExpectedOnce() {
        var queue = unchokedQueue()
        let first = queue.requested(block(0, 0), at: at(0))
        let again = queue.requested(block(0, 0), at: at(1))
        #expect(first)
        #expect(!again, "already outstanding")
        #expect(queue.outstandingCount == 1)
        #expect(queue.outstandingBytes == 16_384)
        #expect(queue.receive(block: block(0, 0), at: at(1)) == .expected)
        #expect(queue.outstandingCount == 0)
        #expect(queue.outstandingBytes == 0)
        #expect(queue.downloadedBytes == 16_384)
        #expect(queue.lastBlockAt == at(1))
        #expect(queue.receive(block: block(0, 0), at: at(2)) == .unrequested)
    }

    @Test func unrequestedBlockIsAProtocolViolation() {
        var queue = unchokedQueue()
        queue.requested(block(0, 0), at: at(0))
        let arrival = queue.receive(block: block(0, 1), at: at(1))
        #expect(arrival == .unrequested)
        #expect(arrival.isProtocolViolation)
        #expect(queue.outstanding == [block(0, 0)])
        #expect(queue.downloadedBytes == 0)
    }

    @Test func blockOfTheWrongSizeIsAProtocolViolation() {
        var queue = unchokedQueue()
        queue.requested(block(2, 0), at: at(0))
        let short = queue.receive(block: block(2, 0, length: 1_000), at: at(1))
        #expect(short == .wrongSize(expected: 16_384))
        #expect(short.isProtocolViolation)
        #expect(!PeerRequestQueue.Arrival.expected.isProtocolViolation)
        #expect(!PeerRequestQueue.Arrival.cancelledButArrived.isProtocolViolation)
    }

    @Test func shortLastBlockMatchesItsRequest() {
        var queue = unchokedQueue()
        let last = block(9, 3, length: 5_000)
        queue.requested(last, at: at(0))
        #expect(queue.receive(block: block(9, 3, length: 16_384), at: at(1)) == .wrongSize(expected: 5_000))
        #expect(queue.receive(block: last, at: at(1)) == .expected)
    }

    @Test func blockArrivingAfterOurCancelIsTolerated() {
        var queue = unchokedQueue()
        queue.requested(block(1, 0), at: at(0))
        queue.requested(block(1, 1), at: at(0))
        let cancelled = queue.cancel(block(1, 0), at: at(1))
        let cancelledAgain = queue.cancel(block(1, 0), at: at(1))
        let cancelledUnknown = queue.cancel(block(5, 5), at: at(1))
        #expect(cancelled)
        #expect(!cancelledAgain, "no longer outstanding")
        #expect(!cancelledUnknown, "never requested")
        #expect(queue.outstanding == [block(1, 1)])
        #expect(queue.abandonedCount == 1)
        #expect(queue.receive(block: block(1, 0), at: at(2)) == .cancelledButArrived)
        #expect(queue.abandonedCount == 0)
        #expect(queue.downloadedBytes == 16_384)
        // Only once: a second copy was never asked for.
        #expect(queue.receive(block: block(1, 0), at: at(3)) == .unrequested)
    }

    @Test func cancelledBlockOfTheWrongSizeIsStillAViolation() {
        var queue = unchokedQueue()
        queue.requested(block(1, 0), at: at(0))
        queue.cancel(block(1, 0), at: at(1))
        #expect(queue.receive(block: block(1, 0, length: 20), at: at(2)) == .wrongSize(expected: 16_384))
    }

    @Test func rejectReturnsTheBlock() {
        var queue = unchokedQueue(fast: true)
        queue.requested(block(4, 0), at: at(0))
        queue.requested(block(4, 1), at: at(0))
        #expect(queue.rejected(block(4, 1)) == .returned(block(4, 1)))
        #expect(queue.outstanding == [block(4, 0)])
        #expect(queue.outstandingBytes == 16_384)
        #expect(queue.rejected(block(4, 1)) == .neverRequested)
        #expect(queue.rejected(block(4, 0, length: 10)) == .neverRequested, "the length must match too")
        #expect(queue.receive(block: block(4, 1), at: at(1)) == .unrequested)
    }

    @Test func rejectOfACancelledRequestIsHarmless() {
        var queue = unchokedQueue(fast: true)
        queue.requested(block(4, 0), at: at(0))
        queue.cancel(block(4, 0), at: at(1))
        #expect(queue.rejected(block(4, 0)) == .alreadyAbandoned)
        #expect(queue.abandonedCount == 0)
        #expect(queue.receive(block: block(4, 0), at: at(2)) == .unrequested)
    }

    @Test func chokeReturnsEveryRequestInSendOrder() {
        var queue = unchokedQueue()
        let sent = [block(7, 2), block(3, 0), block(7, 0), block(3, 1)]
        for (index, request) in sent.enumerated() {
            queue.requested(request, at: at(Double(index)))
        }
        #expect(queue.choked(at: at(10)) == sent)
        #expect(queue.isChoked)
        #expect(queue.outstandingCount == 0)
        #expect(queue.outstandingBytes == 0)
        #expect(queue.availableSlots(now: at(10)) == 0)
        // A block that was already on the wire is tolerated.
        #expect(queue.receive(block: block(3, 0), at: at(11)) == .cancelledButArrived)
    }

    @Test func chokeWithFastExtensionKeepsAllowedFastRequests() {
        var queue = PeerRequestQueue(supportsFastExtension: true)
        queue.allowFast(piece: 7)
        queue.unchoked()
        queue.requested(block(7, 0), at: at(0))
        queue.requested(block(3, 0), at: at(1))
        queue.requested(block(7, 1), at: at(2))
        #expect(queue.choked(at: at(5)) == [block(3, 0)])
        #expect(queue.outstanding == [block(7, 0), block(7, 1)])
        #expect(queue.receive(block: block(7, 0), at: at(6)) == .expected)
        #expect(queue.rejected(block(3, 0)) == .alreadyAbandoned)
    }

    @Test func chokeWithoutFastExtensionDropsAllowedFastToo() {
        var queue = unchokedQueue()
        queue.allowFast(piece: 7)
        queue.requested(block(7, 0), at: at(0))
        #expect(queue.choked(at: at(1)) == [block(7, 0)])
    }

    @Test func reRequestingAnAbandonedBlockAcceptsBothAnswers() {
        var queue = unchokedQueue()
        queue.requested(block(0, 0), at: at(0))
        _ = queue.choked(at: at(1))
        queue.unchoked()
        let sent = queue.requested(block(0, 0), at: at(2))
        #expect(sent)
        // The first request's answer may still be on the wire: it stays on record.
        #expect(queue.abandonedCount == 1)
        #expect(queue.receive(block: block(0, 0), at: at(3)) == .expected)
        #expect(queue.receive(block: block(0, 0), at: at(4)) == .cancelledButArrived)
        #expect(queue.receive(block: block(0, 0), at: at(5)) == .unrequested)
    }

    @Test func everyRequestSentCanBeAnsweredOnceAcrossSeveralChokes() {
        var queue = unchokedQueue()
        // Asked for three times, abandoned twice (choke, unchoke, choke, unchoke) before any answer.
        for round in [0.0, 2.0] {
            queue.requested(block(0, 0), at: at(round))
            _ = queue.choked(at: at(round + 1))
            queue.unchoked()
        }
        queue.requested(block(0, 0), at: at(4))
        // The oldest request is rejected; the other two are answered; nothing more is owed.
        #expect(queue.rejected(block(0, 0)) == .alreadyAbandoned)
        #expect(queue.outstandingCount == 1)
        #expect(queue.receive(block: block(0, 0), at: at(5)) == .expected)
        #expect(queue.receive(block: block(0, 0), at: at(6)) == .cancelledButArrived)
        #expect(queue.abandonedCount == 0)
        #expect(queue.receive(block: block(0, 0), at: at(7)) == .unrequested)
    }

    @Test func removeAllReturnsOutstandingAndForgetsAbandoned() {
        var queue = unchokedQueue()
        queue.requested(block(0, 0), at: at(0))
        queue.requested(block(0, 1), at: at(1))
        queue.requested(block(0, 2), at: at(2))
        queue.cancel(block(0, 1), at: at(3))
        #expect(queue.removeAll() == [block(0, 0), block(0, 2)])
        #expect(queue.outstandingCount == 0)
        #expect(queue.abandonedCount == 0)
        #expect(queue.receive(block: block(0, 1), at: at(4)) == .unrequested)
    }

    @Test func abandonedRequestsAreCappedAtTheMaximumDepth() {
        var queue = PeerRequestQueue(configuration: .init(minimumDepth: 2, maximumDepth: 3))
        queue.unchoked()
        for index in 0..<5 {
            queue.requested(block(0, index), at: at(0))
        }
        _ = queue.choked(at: at(1))
        #expect(queue.abandonedCount == 3)
        // The oldest two were forgotten.
        #expect(queue.receive(block: block(0, 0), at: at(2)) == .unrequested)
        #expect(queue.receive(block: block(0, 1), at: at(2)) == .unrequested)
        #expect(queue.receive(block: block(0, 2), at: at(2)) == .cancelledButArrived)
    }
}
