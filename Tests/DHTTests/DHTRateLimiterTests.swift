import Testing

@testable import DHT

@Suite("the DHT rate limiter")
struct DHTRateLimiterTests {
    /// `allow` outside `#expect`, which cannot take a mutating call.
    func take(_ limiter: inout DHTRateLimiter, _ host: DHTEndpoint.Host, now: Double) -> Bool {
        limiter.allow(host, now: now)
    }

    static func host(_ n: Int) -> DHTEndpoint.Host {
        DHTEndpoint.ipv4(10, UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF), port: 1).host
    }

    @Test func burstThenRate() {
        var limiter = DHTRateLimiter(settings: .init(ratePerSecond: 5, burst: 10), now: 0)
        let allowed = (0..<20).count { _ in limiter.allow(Self.host(1), now: 0) }
        #expect(allowed == 10)
        #expect(!take(&limiter, Self.host(1), now: 0.1))
        #expect(take(&limiter, Self.host(1), now: 0.2))
        #expect(!take(&limiter, Self.host(1), now: 0.2))
        // Another address has its own bucket.
        #expect(take(&limiter, Self.host(2), now: 0.2))
        // A long quiet spell refills to the burst, not beyond.
        let later = (0..<30).count { _ in limiter.allow(Self.host(1), now: 1_000) }
        #expect(later == 10)
    }

    @Test func clockGoingBackwardsGrantsNothing() {
        var limiter = DHTRateLimiter(settings: .init(ratePerSecond: 1, burst: 1), now: 100)
        #expect(take(&limiter, Self.host(1), now: 100))
        #expect(!take(&limiter, Self.host(1), now: 50))
        #expect(!take(&limiter, Self.host(1), now: 100.5))
        #expect(take(&limiter, Self.host(1), now: 101))
    }

    @Test func aFloodOfAddressesShareTheOverflowBucket() {
        var limiter = DHTRateLimiter(
            settings: .init(ratePerSecond: 1, burst: 2, maximumAddresses: 100, overflowRatePerSecond: 10), now: 0)
        // A limited address keeps its state through the flood.
        #expect(take(&limiter, Self.host(0), now: 0))
        #expect(take(&limiter, Self.host(0), now: 0))
        #expect(!take(&limiter, Self.host(0), now: 0))
        var allowed = 0
        for n in 1...100_000 where limiter.allow(Self.host(n), now: 0.5) { allowed += 1 }
        #expect(limiter.trackedAddresses <= 100)
        // 99 new addresses found room, the other 99,901 shared a bucket of 2.
        #expect(allowed == 99 + 2)
        #expect(!take(&limiter, Self.host(0), now: 0.5))
        // Idle buckets are forgotten and make room again.
        #expect(take(&limiter, Self.host(500_000), now: 10))
        #expect(limiter.trackedAddresses == 1)
    }

    @Test func zeroRateTurnsItOff() {
        var limiter = DHTRateLimiter(settings: .init(ratePerSecond: 0, burst: 0), now: 0)
        #expect((0..<1_000).allSatisfy { _ in limiter.allow(Self.host(1), now: 0) })
        #expect(limiter.trackedAddresses == 0)
    }
}
