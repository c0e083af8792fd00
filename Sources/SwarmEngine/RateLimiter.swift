import Swarm
import Synchronization

/// A global byte-rate limit shared by every connection of an engine: each piece payload sent (or
/// received) takes its bytes from one `TokenBucket` and waits out any debt. Waiting in the writer
/// slows only that connection's socket; waiting in the reader stops reading, so TCP pushes back on
/// the sender.
final class RateLimiter: Sendable {
    private let bucket: Mutex<TokenBucket>
    private let start = ContinuousClock.now

    /// Nil when `bytesPerSecond` is nil or not positive: no limit.
    init?(bytesPerSecond: Int?) {
        guard let bytesPerSecond, bytesPerSecond > 0 else { return nil }
        bucket = Mutex(TokenBucket(rate: bytesPerSecond, now: 0))
    }

    func consume(_ bytes: Int) async throws {
        let now = seconds(since: start)
        let wait = bucket.withLock { $0.take(bytes, now: now) }
        if wait > 0 { try await Task.sleep(for: .seconds(wait)) }
    }

    private func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
