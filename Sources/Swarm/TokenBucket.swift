/// A byte-rate limit as a token bucket that may go into debt: taking more bytes than the bucket holds
/// is allowed (a 16 KiB block is never split), and the caller waits until the debt is paid back. Pure:
/// the caller passes the time, as seconds on any monotonic clock.
public struct TokenBucket: Sendable, Equatable {
    /// Bytes per second.
    public let rate: Int
    /// The most bytes that can pile up while nobody takes any: the size of a burst.
    public let capacity: Int
    private var tokens: Double
    private var lastRefill: Double

    /// A bucket that starts full. `capacity` defaults to one second of `rate`, at least 16 KiB.
    public init(rate: Int, capacity: Int? = nil, now: Double) {
        precondition(rate > 0, "a token bucket needs a positive rate")
        self.rate = rate
        self.capacity = max(capacity ?? rate, 16 * 1024)
        tokens = Double(self.capacity)
        lastRefill = now
    }

    /// Takes `bytes` now and returns how many seconds the caller must wait before using them (0 when
    /// the bucket had enough).
    public mutating func take(_ bytes: Int, now: Double) -> Double {
        refill(now: now)
        tokens -= Double(bytes)
        return tokens >= 0 ? 0 : -tokens / Double(rate)
    }

    /// Bytes available right now (negative while in debt).
    public mutating func available(now: Double) -> Double {
        refill(now: now)
        return tokens
    }

    private mutating func refill(now: Double) {
        let elapsed = max(0, now - lastRefill)
        lastRefill = max(lastRefill, now)
        tokens = min(Double(capacity), tokens + elapsed * Double(rate))
    }
}
