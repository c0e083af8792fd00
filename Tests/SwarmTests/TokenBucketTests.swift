import Swarm
import Testing

@Suite("Token bucket")
struct TokenBucketTests {
    @Test func aFullBucketLetsABurstThroughAtOnce() {
        var bucket = TokenBucket(rate: 100_000, now: 0)
        #expect(bucket.capacity == 100_000)
        #expect(bucket.take(60_000, now: 0) == 0)
        #expect(bucket.take(40_000, now: 0) == 0)
    }

    @Test func debtIsPaidBackAtTheRate() {
        var bucket = TokenBucket(rate: 100_000, now: 0)
        _ = bucket.take(100_000, now: 0)
        // 50 KB more than the bucket holds: half a second of debt.
        #expect(bucket.take(50_000, now: 0) == 0.5)
        // A second later the debt is paid and half the bucket is back.
        #expect(bucket.available(now: 1) == 50_000)
    }

    @Test func idleTimeFillsNoMoreThanTheCapacity() {
        var bucket = TokenBucket(rate: 1000, capacity: 20_000, now: 0)
        _ = bucket.take(20_000, now: 0)
        #expect(bucket.available(now: 3600) == 20_000)
    }

    @Test func aTinyRateStillPassesWholeBlocks() {
        var bucket = TokenBucket(rate: 1, now: 0)
        #expect(bucket.capacity == 16 * 1024)
        #expect(bucket.take(16 * 1024, now: 0) == 0)
        #expect(bucket.take(1, now: 0) == 1)
    }

    @Test func timeGoingBackwardsAddsNothing() {
        var bucket = TokenBucket(rate: 1000, capacity: 16 * 1024, now: 10)
        _ = bucket.take(16 * 1024, now: 10)
        #expect(bucket.available(now: 5) == 0)
        #expect(bucket.available(now: 11) == 1000)
    }
}
