import TorrentModel

/// How often an announcement received on the LAN may turn into a peer to dial: once per infohash per source
/// address per `interval` (the port announced does not matter, so changing it does not help a flood), and no
/// more than `ratePerSecond` over all sources. The table of recent reports is bounded: when it is full and no
/// entry has expired, new (source, infohash) pairs are refused, so forged source addresses can neither grow
/// memory nor push out the pairs already limited. Times are seconds on any monotonic clock.
public struct LSDReportLimiter: Sendable {
    public struct Settings: Sendable, Equatable {
        /// Seconds before a source may report the same infohash again; 0 turns this part off.
        public var interval: Double
        /// (Source, infohash) pairs remembered at most.
        public var maximumTracked: Int
        /// Reports per second over all sources; 0 turns this part off.
        public var ratePerSecond: Double
        /// Reports allowed at once after a quiet spell.
        public var burst: Double

        public init(
            interval: Double = LSDLimits.reportInterval, maximumTracked: Int = LSDLimits.maximumTrackedReports,
            ratePerSecond: Double = LSDLimits.reportsPerSecond, burst: Double = LSDLimits.reportBurst
        ) {
            self.interval = interval
            self.maximumTracked = maximumTracked
            self.ratePerSecond = ratePerSecond
            self.burst = burst
        }
    }

    private struct Key: Hashable, Sendable {
        var source: String
        var infoHash: InfoHash
    }

    public let settings: Settings
    private var lastReported: [Key: Double] = [:]
    private var tokens: Double
    private var updated: Double
    private var lastSweep: Double

    public init(settings: Settings = Settings(), now: Double) {
        self.settings = settings
        tokens = settings.burst
        updated = now
        lastSweep = now
    }

    /// (Source, infohash) pairs remembered now.
    public var trackedReports: Int { lastReported.count }

    /// Whether `source` may report `infoHash` at `now`; when it may, the report is recorded.
    public mutating func allow(source: String, infoHash: InfoHash, now: Double) -> Bool {
        let key = Key(source: source, infoHash: infoHash)
        if settings.interval > 0 {
            // A clock that went backwards counts as too soon.
            if let last = lastReported[key], now - last < settings.interval { return false }
            if lastReported[key] == nil && lastReported.count >= settings.maximumTracked {
                sweep(now: now)
                if lastReported.count >= settings.maximumTracked { return false }
            }
        }
        if settings.ratePerSecond > 0 {
            tokens = min(settings.burst, tokens + max(0, now - updated) * settings.ratePerSecond)
            updated = max(updated, now)
            guard tokens >= 1 else { return false }
            tokens -= 1
        }
        if settings.interval > 0 { lastReported[key] = now }
        return true
    }

    /// Forgets pairs whose interval has passed: they are as if never seen. Runs at most once a second from
    /// `allow`, so a full table costs one pass per second, not one per packet.
    public mutating func sweep(now: Double) {
        guard now - lastSweep >= 1 || now < lastSweep else { return }
        lastSweep = now
        lastReported = lastReported.filter { now - $0.value < settings.interval }
    }
}
