/// Queries per second per source address (its port ignored): a token bucket per address, in a table of
/// bounded size. When the table is full, addresses that are not in it share one overflow bucket, so a
/// flood from spoofed addresses can neither grow memory nor reset the buckets of addresses already
/// being limited; it only exhausts the overflow bucket. Times are seconds on any monotonic clock.
public struct DHTRateLimiter: Sendable {
    public struct Settings: Sendable, Equatable {
        /// Tokens added per second to each address's bucket; 0 turns the limiter off.
        public var ratePerSecond: Double
        /// How many queries an address may send at once after a quiet spell.
        public var burst: Double
        /// Addresses with a bucket of their own, at most.
        public var maximumAddresses: Int
        /// Rate of the one bucket shared by addresses that found the table full.
        public var overflowRatePerSecond: Double

        /// libtorrent's default is 5 queries per second per address, with a burst of 10.
        public init(
            ratePerSecond: Double = 5, burst: Double = 10, maximumAddresses: Int = 4_096,
            overflowRatePerSecond: Double = 50
        ) {
            self.ratePerSecond = ratePerSecond
            self.burst = burst
            self.maximumAddresses = maximumAddresses
            self.overflowRatePerSecond = overflowRatePerSecond
        }
    }

    private struct Bucket: Sendable {
        var tokens: Double
        var updated: Double

        /// Refills at `rate` up to `burst`, then takes one token if there is one.
        mutating func take(now: Double, rate: Double, burst: Double) -> Bool {
            tokens = min(burst, tokens + max(0, now - updated) * rate)
            updated = max(updated, now)
            guard tokens >= 1 else { return false }
            tokens -= 1
            return true
        }
    }

    public let settings: Settings
    private var buckets: [DHTEndpoint.Host: Bucket] = [:]
    private var overflow: Bucket
    private var lastSweep: Double

    public init(settings: Settings = Settings(), now: Double) {
        self.settings = settings
        overflow = Bucket(tokens: settings.burst, updated: now)
        lastSweep = now
    }

    /// Addresses with a bucket of their own.
    public var trackedAddresses: Int { buckets.count }

    /// Takes a token for a query from `host` at `now`; false when the query must be dropped.
    public mutating func allow(_ host: DHTEndpoint.Host, now: Double) -> Bool {
        guard settings.ratePerSecond > 0 else { return true }
        if buckets[host] == nil && buckets.count >= settings.maximumAddresses {
            sweep(now: now)
            if buckets.count >= settings.maximumAddresses {
                return overflow.take(now: now, rate: settings.overflowRatePerSecond, burst: settings.burst)
            }
        }
        var bucket = buckets[host] ?? Bucket(tokens: settings.burst, updated: now)
        let allowed = bucket.take(now: now, rate: settings.ratePerSecond, burst: settings.burst)
        buckets[host] = bucket
        return allowed
    }

    /// Forgets addresses whose buckets have refilled: they are as if never seen. Runs at most once a
    /// second from `allow`, so a full table costs one pass per second, not one per packet.
    public mutating func sweep(now: Double) {
        guard now - lastSweep >= 1 || now < lastSweep else { return }
        lastSweep = now
        let refillTime = settings.burst / settings.ratePerSecond
        buckets = buckets.filter { now - $0.value.updated < refillTime }
    }
}
