import Swarm
import Testing
import TorrentModel

@Suite struct PeerRequestQueueTimeoutTests {
    private let origin = ContinuousClock.now

    private func at(_ seconds: Double) -> ContinuousClock.Instant { origin + .seconds(seconds) }

    private func block(_ index: Int) -> BlockRange {
        BlockRange(piece: index / 64, offset: (index % 64) * TorrentLimits.blockSize, length: TorrentLimits.blockSize)
    }

    private func unchokedQueue(_ configuration: PeerRequestQueue.Configuration = .init()) -> PeerRequestQueue {
        var queue = PeerRequestQueue(configuration: configuration)
        queue.unchoked()
        return queue
    }

    /// A queue that received one block per second at 0…19 s: 16 KiB/s at 20 s.
    private func queueAt16KiBPerSecond(
        _ configuration: PeerRequestQueue.Configuration = .init()
    ) -> PeerRequestQueue {
        var queue = unchokedQueue(configuration)
        for second in 0..<20 {
            queue.requested(block(1_000 + second), at: at(Double(second)))
            _ = queue.receive(block: block(1_000 + second), at: at(Double(second)))
        }
        return queue
    }

    // MARK: Time-outs

    @Test func withoutARateRequestsTimeOutAtTheFloor() {
        var queue = unchokedQueue()
        #expect(queue.requestTimeout(now: at(0)) == SwarmSettings.requestTimeoutFloor)
        queue.requested(block(0), at: at(0))
        queue.requested(block(1), at: at(5))
        #expect(queue.timedOut(now: at(19.9)).isEmpty)
        #expect(queue.timedOut(now: at(20)) == [block(0)])
        #expect(queue.outstanding == [block(1)])
        #expect(queue.timedOut(now: at(24.9)).isEmpty)
        #expect(queue.timedOut(now: at(25)) == [block(1)])
        #expect(queue.timedOut(now: at(26)).isEmpty, "a request times out once")
        #expect(queue.outstandingBytes == 0)
    }

    @Test func timeoutGrowsWithTheTimeNeededToDrainTheQueue() {
        var queue = queueAt16KiBPerSecond()
        #expect(queue.downloadRate(now: at(20)) == 16_384)
        for index in 0..<20 {
            queue.requested(block(index), at: at(20))
        }
        // 20 blocks at one block a second is 20 s; three times that is 60 s.
        #expect(queue.requestTimeout(now: at(20)) == .seconds(60))
        #expect(queue.timedOut(now: at(20)).isEmpty)
        for index in 0..<4 {
            queue.requested(block(100 + index), at: at(20))
        }
        // 24 blocks: 72 s.
        #expect(queue.requestTimeout(now: at(20)) == .seconds(72))
    }

    @Test func timeoutNeverExceedsTheCeiling() {
        var queue = queueAt16KiBPerSecond()
        for index in 0..<100 {
            queue.requested(block(index), at: at(20))
        }
        #expect(queue.requestTimeout(now: at(20)) == SwarmSettings.requestTimeoutCeiling)
    }

    @Test func fastPeerStillGetsTheFloor() {
        var queue = queueAt16KiBPerSecond()
        queue.requested(block(0), at: at(20))
        // One block at one block a second: 3 s, raised to the 20 s floor.
        #expect(queue.requestTimeout(now: at(20)) == .seconds(20))
    }

    @Test func timedOutBlockArrivingLateIsTolerated() {
        var queue = unchokedQueue()
        queue.requested(block(0), at: at(0))
        #expect(queue.timedOut(now: at(20)) == [block(0)])
        #expect(queue.abandonedCount == 1)
        #expect(queue.receive(block: block(0), at: at(30)) == .cancelledButArrived)
    }

    @Test func abandonedRequestsAreForgottenAfterTheRetention() {
        var queue = unchokedQueue()
        queue.requested(block(0), at: at(0))
        queue.requested(block(1), at: at(0))
        _ = queue.timedOut(now: at(20))
        _ = queue.timedOut(now: at(139.9))
        #expect(queue.abandonedCount == 2)
        _ = queue.timedOut(now: at(140))
        #expect(queue.abandonedCount == 0)
        #expect(queue.receive(block: block(0), at: at(141)) == .unrequested)
    }

    // MARK: Snubbing

    @Test func peerIsSnubbedAfterSixtySecondsWithoutABlock() {
        var queue = unchokedQueue()
        #expect(!queue.snubbed(now: at(1_000)), "nothing requested, nothing owed")
        queue.requested(block(0), at: at(100))
        queue.requested(block(1), at: at(130))
        #expect(!queue.snubbed(now: at(159.9)))
        #expect(queue.snubbed(now: at(160)), "counted from the first request, not the last")
    }

    @Test func aBlockRestartsTheSnubClock() {
        var queue = unchokedQueue()
        queue.requested(block(0), at: at(0))
        queue.requested(block(1), at: at(0))
        #expect(queue.snubbed(now: at(60)))
        #expect(queue.receive(block: block(0), at: at(61)) == .expected)
        #expect(!queue.snubbed(now: at(120.9)))
        #expect(queue.snubbed(now: at(121)))
        #expect(queue.receive(block: block(1), at: at(122)) == .expected)
        #expect(!queue.snubbed(now: at(500)), "nothing outstanding any more")
    }

    @Test func timedOutPeerStaysSnubbedUntilItSendsABlock() {
        var queue = unchokedQueue()
        queue.requested(block(0), at: at(0))
        #expect(queue.timedOut(now: at(20)) == [block(0)])
        #expect(queue.outstandingCount == 0)
        #expect(!queue.snubbed(now: at(59)))
        #expect(queue.snubbed(now: at(60)), "the peer still owes us the block")
        // New requests do not restart the clock; a block does.
        queue.requested(block(1), at: at(70))
        #expect(queue.snubbed(now: at(70)))
        #expect(queue.receive(block: block(0), at: at(75)) == .cancelledButArrived)
        #expect(!queue.snubbed(now: at(134.9)))
        #expect(queue.snubbed(now: at(135)))
    }

    @Test func chokeEndsTheWait() {
        var queue = unchokedQueue()
        queue.requested(block(0), at: at(0))
        _ = queue.timedOut(now: at(20))
        _ = queue.choked(at: at(30))
        #expect(!queue.snubbed(now: at(100)))
    }

    @Test func rejectingOrCancellingEverythingEndsTheWait() {
        var rejecting = PeerRequestQueue(supportsFastExtension: true)
        rejecting.unchoked()
        rejecting.requested(block(0), at: at(0))
        _ = rejecting.rejected(block(0))
        #expect(!rejecting.snubbed(now: at(100)))

        var cancelled = unchokedQueue()
        cancelled.requested(block(0), at: at(0))
        cancelled.requested(block(1), at: at(0))
        cancelled.cancel(block(0), at: at(10))
        #expect(cancelled.snubbed(now: at(60)), "block 1 is still owed")
        cancelled.cancel(block(1), at: at(61))
        #expect(!cancelled.snubbed(now: at(100)))
    }

    @Test func snubTimeoutIsConfigurable() {
        var queue = unchokedQueue(.init(snubTimeout: .seconds(5)))
        queue.requested(block(0), at: at(0))
        #expect(!queue.snubbed(now: at(4.9)))
        #expect(queue.snubbed(now: at(5)))
    }
}
