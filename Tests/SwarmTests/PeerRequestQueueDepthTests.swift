import Swarm
import Testing
import TorrentModel

@Suite struct PeerRequestQueueDepthTests {
    private let origin = ContinuousClock.now

    private func at(_ seconds: Double) -> ContinuousClock.Instant { origin + .seconds(seconds) }

    private func block(_ index: Int) -> BlockRange {
        BlockRange(piece: index / 64, offset: (index % 64) * TorrentLimits.blockSize, length: TorrentLimits.blockSize)
    }

    /// Requests and receives `blocksPerSecond` full blocks at the start of each of the first `seconds` seconds,
    /// so at `seconds` the rate window holds exactly `seconds - 1` of them over as many seconds.
    private func queue(
        deliveringBlocksPerSecond blocksPerSecond: Int, for seconds: Int,
        configuration: PeerRequestQueue.Configuration = .init()
    ) -> PeerRequestQueue {
        var queue = PeerRequestQueue(configuration: configuration)
        queue.unchoked()
        var next = 0
        for second in 0..<seconds {
            let time = at(Double(second))
            for _ in 0..<blocksPerSecond {
                queue.requested(block(next), at: time)
                _ = queue.receive(block: block(next), at: time)
                next += 1
            }
        }
        return queue
    }

    @Test func newPeerStartsAtTheMinimumDepth() {
        var queue = PeerRequestQueue()
        #expect(queue.desiredDepth(now: at(0)) == SwarmSettings.minimumRequestDepth)
        #expect(queue.availableSlots(now: at(0)) == 0, "choked: nothing may be requested")
        queue.unchoked()
        #expect(queue.availableSlots(now: at(0)) == 2)
        queue.requested(block(0), at: at(0))
        #expect(queue.availableSlots(now: at(0)) == 1)
    }

    @Test func depthCoversTheQueueTimeAtTheMeasuredRate() {
        // 4 blocks/s = 64 KiB/s: 2 s of data is 8 blocks.
        let slow = queue(deliveringBlocksPerSecond: 4, for: 20)
        #expect(slow.downloadRate(now: at(20)) == 65_536)
        #expect(slow.desiredDepth(now: at(20)) == 8)
        // 64 blocks/s = 1 MiB/s: 128 blocks.
        let fast = queue(deliveringBlocksPerSecond: 64, for: 20)
        #expect(fast.downloadRate(now: at(20)) == 1_048_576)
        #expect(fast.desiredDepth(now: at(20)) == 128)
        #expect(fast.availableSlots(now: at(20)) == 128)
    }

    @Test func aShorterQueueTimeKeepsFewerRequestsOutstanding() {
        // 1 MiB/s: 2 s is 128 blocks, 1 s (what a watcher streaming keeps) 64, and a floor of two whatever the time.
        var fast = queue(deliveringBlocksPerSecond: 64, for: 20)
        fast.setQueueTime(.seconds(1))
        #expect(fast.configuration.queueTime == .seconds(1))
        #expect(fast.desiredDepth(now: at(20)) == 64)
        fast.setQueueTime(.milliseconds(-5))
        #expect(fast.desiredDepth(now: at(20)) == SwarmSettings.minimumRequestDepth)
    }

    @Test func partialBlocksOfRateRoundUp() {
        // 3 blocks/s for 2 s of queue time is 6 blocks; one more byte per second needs a seventh.
        var queue = PeerRequestQueue()
        queue.unchoked()
        queue.requested(BlockRange(piece: 0, offset: 0, length: 3 * 16_384 + 1), at: at(0))
        _ = queue.receive(block: BlockRange(piece: 0, offset: 0, length: 3 * 16_384 + 1), at: at(0))
        #expect(queue.desiredDepth(now: at(0.5)) == 7)
    }

    @Test func depthIsCappedByThePeersReqq() {
        var fast = queue(deliveringBlocksPerSecond: 64, for: 20)
        fast.setPeerRequestLimit(50)
        #expect(fast.peerRequestLimit == 50)
        #expect(fast.desiredDepth(now: at(20)) == 50)
        fast.setPeerRequestLimit(nil)
        #expect(fast.peerRequestLimit == SwarmSettings.defaultPeerRequestLimit)
        #expect(fast.desiredDepth(now: at(20)) == 128)
    }

    @Test func depthIsCappedByTheGlobalMaximum() {
        let capped = queue(
            deliveringBlocksPerSecond: 64, for: 20, configuration: .init(maximumDepth: 100))
        #expect(capped.desiredDepth(now: at(20)) == 100)
    }

    @Test func unknownReqqAllowsTheDefaultOf250() {
        // 256 blocks/s = 4 MiB/s wants 512 requests: the default reqq (250) binds before the global cap (500).
        let queue = queue(deliveringBlocksPerSecond: 256, for: 20)
        #expect(queue.desiredDepth(now: at(20)) == 250)
    }

    @Test func tinyReqqLowersEvenTheMinimum() {
        var queue = PeerRequestQueue()
        queue.setPeerRequestLimit(0)
        #expect(queue.peerRequestLimit == 1)
        #expect(queue.desiredDepth(now: at(0)) == 1)
    }

    @Test func depthShrinksWhenThePeerGoesQuiet() {
        let fast = queue(deliveringBlocksPerSecond: 64, for: 20)
        #expect(fast.desiredDepth(now: at(20)) == 128)
        #expect(fast.desiredDepth(now: at(60)) == SwarmSettings.minimumRequestDepth)
    }

    @Test func chokedPeerOffersSlotsOnlyForAllowedFastPieces() {
        var plain = PeerRequestQueue()
        plain.allowFast(piece: 3)
        #expect(plain.allowedFastPieces.isEmpty, "allowed fast needs BEP 6")
        #expect(!plain.canRequest(piece: 3))

        var fast = PeerRequestQueue(supportsFastExtension: true)
        #expect(fast.availableSlots(now: at(0)) == 0)
        fast.allowFast(piece: 3)
        #expect(fast.canRequest(piece: 3))
        #expect(!fast.canRequest(piece: 4))
        #expect(fast.availableSlots(now: at(0)) == 2)
        fast.unchoked()
        #expect(fast.canRequest(piece: 4))
    }
}
