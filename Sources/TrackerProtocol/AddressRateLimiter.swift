/// Requests per second per client address: a token bucket for each address, in a table of bounded size.
/// When the table is full, an address not in it takes the slot of an arbitrary other; a flood of new
/// addresses can reset some buckets but never grow memory.
public struct AddressRateLimiter: Sendable {
    public struct Settings: Sendable, Equatable {
        /// Tokens added per second; 0 turns the limiter off.
        public var ratePerSecond: Double
        /// The bucket's size: how many requests may come at once after a quiet spell.
        public var burst: Double
        /// Addresses remembered at most.
        public var maximumAddresses: Int

        public init(ratePerSecond: Double, burst: Double, maximumAddresses: Int = 65_536) {
            self.ratePerSecond = ratePerSecond
            self.burst = burst
            self.maximumAddresses = maximumAddresses
        }
    }

    private struct Bucket {
        var tokens: Double
        var updated: Double
    }

    public let settings: Settings
    private var buckets: [TrackerPeerAddress: Bucket] = [:]

    public init(settings: Settings) {
        self.settings = settings
    }

    public var trackedAddresses: Int { buckets.count }

    /// Takes a token for `address` (its port is ignored) at `now` seconds; false when it has none left.
    public mutating func allow(_ address: TrackerPeerAddress, now: Double) -> Bool {
        guard settings.ratePerSecond > 0 else { return true }
        let key = address.withPort(0)
        var bucket: Bucket
        if let existing = buckets[key] {
            bucket = existing
            let refill = max(0, now - bucket.updated) * settings.ratePerSecond
            bucket.tokens = min(settings.burst, bucket.tokens + refill)
        } else {
            if buckets.count >= settings.maximumAddresses, let victim = buckets.keys.first {
                buckets.removeValue(forKey: victim)
            }
            bucket = Bucket(tokens: settings.burst, updated: now)
        }
        bucket.updated = now
        let allowed = bucket.tokens >= 1
        if allowed { bucket.tokens -= 1 }
        buckets[key] = bucket
        return allowed
    }

    /// Forgets addresses whose buckets have refilled: they are as if never seen.
    public mutating func forgetIdle(now: Double) {
        guard settings.ratePerSecond > 0 else { return }
        let full = settings.burst / settings.ratePerSecond
        buckets = buckets.filter { now - $0.value.updated < full }
    }
}
