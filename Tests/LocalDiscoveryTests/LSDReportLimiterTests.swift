import LocalDiscovery
import Testing
import TorrentModel

@Suite("the LSD report limiter")
struct LSDReportLimiterTests {
    /// `allow` outside `#expect`, which cannot take a mutating call.
    func take(_ limiter: inout LSDReportLimiter, _ source: String, _ infoHash: InfoHash, at now: Double) -> Bool {
        limiter.allow(source: source, infoHash: infoHash, now: now)
    }

    static let a = Fixtures.infoHash(0xA1)
    static let b = Fixtures.infoHash(0xB2)

    static func source(_ n: Int) -> String { "10.\(n >> 16 & 0xFF).\(n >> 8 & 0xFF).\(n & 0xFF)" }

    @Test func oncePerIntervalPerSourceAndInfohash() {
        var limiter = LSDReportLimiter(settings: .init(interval: 60, ratePerSecond: 0), now: 0)
        #expect(take(&limiter, "10.0.0.1", Self.a, at: 0))
        #expect(!take(&limiter, "10.0.0.1", Self.a, at: 59.9))
        #expect(take(&limiter, "10.0.0.1", Self.b, at: 1))
        #expect(take(&limiter, "10.0.0.2", Self.a, at: 1))
        #expect(take(&limiter, "10.0.0.1", Self.a, at: 60))
        #expect(!take(&limiter, "10.0.0.1", Self.a, at: 60))
        #expect(limiter.trackedReports == 3)
    }

    @Test func aClockGoingBackwardsGrantsNothing() {
        var limiter = LSDReportLimiter(settings: .init(interval: 60, ratePerSecond: 0), now: 100)
        #expect(take(&limiter, "10.0.0.1", Self.a, at: 100))
        #expect(!take(&limiter, "10.0.0.1", Self.a, at: 20))
        #expect(take(&limiter, "10.0.0.1", Self.a, at: 160))
    }

    @Test func theOverallRateBoundsReportsFromManySources() {
        var limiter = LSDReportLimiter(settings: .init(interval: 60, ratePerSecond: 10, burst: 50), now: 0)
        let burst = (0..<1_000).count { limiter.allow(source: Self.source($0), infoHash: Self.a, now: 0) }
        #expect(burst == 50)
        // Refused reports are not remembered, so the same sources may come back when tokens do.
        #expect(limiter.trackedReports == 50)
        let later = (1_000..<2_000).count { limiter.allow(source: Self.source($0), infoHash: Self.a, now: 1) }
        #expect(later == 10)
        #expect(take(&limiter, Self.source(999), Self.a, at: 1.1))
    }

    @Test func aFloodOfForgedSourcesCannotGrowTheTableOrEvictLimitedPairs() {
        var limiter = LSDReportLimiter(
            settings: .init(interval: 60, maximumTracked: 100, ratePerSecond: 0), now: 0)
        #expect(take(&limiter, "192.168.0.1", Self.a, at: 0))
        var allowed = 0
        for n in 0..<100_000 where limiter.allow(source: Self.source(n), infoHash: Self.a, now: 10) { allowed += 1 }
        #expect(allowed == 99)
        #expect(limiter.trackedReports == 100)
        // The pair limited before the flood is still limited.
        #expect(!take(&limiter, "192.168.0.1", Self.a, at: 30))
        // Once the interval has passed, old pairs are swept and make room again.
        #expect(take(&limiter, "172.16.0.1", Self.a, at: 70.5))
        #expect(limiter.trackedReports == 1)
    }

    @Test func zeroTurnsEachPartOff() {
        var off = LSDReportLimiter(settings: .init(interval: 0, ratePerSecond: 0), now: 0)
        #expect((0..<1_000).allSatisfy { _ in off.allow(source: "10.0.0.1", infoHash: Self.a, now: 0) })
        #expect(off.trackedReports == 0)
    }
}
