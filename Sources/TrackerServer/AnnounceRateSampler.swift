import Synchronization

/// Announces per second over a sliding window: the announce total is sampled once a second, and the
/// rate is the difference across the window.
final class AnnounceRateSampler: Sendable {
    private let samples = Mutex<[(time: Double, total: Int)]>([])
    let window: Double

    init(window: Double = 10) {
        self.window = window
    }

    func record(total: Int, at time: Double) {
        samples.withLock { samples in
            samples.append((time, total))
            samples.removeAll { time - $0.time > window }
        }
    }

    func reset() {
        samples.withLock { $0.removeAll() }
    }

    func rate(total: Int, at time: Double) -> Double {
        samples.withLock { samples in
            guard let oldest = samples.first, time - oldest.time > 0.5 else { return 0 }
            return Double(total - oldest.total) / (time - oldest.time)
        }
    }
}
