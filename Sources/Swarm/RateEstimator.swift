/// A transfer rate in bytes per second over a sliding window, fed with byte counts and the time they moved.
///
/// The window is cut into equal buckets kept in a ring, so memory is fixed and old bytes fall out a bucket at
/// a time. Time is always a parameter: `record(bytes:at:)` and `rate(now:)` never read a clock.
public struct RateEstimator: Sendable {
    public let window: Duration
    public let bucketCount: Int
    /// Every byte ever recorded, for statistics.
    public private(set) var totalBytes: Int64 = 0

    private let bucketWidth: Duration
    private var buckets: [Int64]
    /// The first recorded instant; bucket numbers count from here.
    private var origin: ContinuousClock.Instant?
    /// The absolute number of the newest bucket written.
    private var newestBucket: Int64 = 0

    public init(window: Duration = SwarmSettings.rateWindow, bucketCount: Int = SwarmSettings.rateBucketCount) {
        precondition(window > .zero && bucketCount > 0, "a rate window needs a length and at least one bucket")
        self.window = window
        self.bucketCount = bucketCount
        self.bucketWidth = window / bucketCount
        self.buckets = Array(repeating: 0, count: bucketCount)
    }

    /// Counts `bytes` as moved at `instant`. Instants slightly out of order land in their own bucket; bytes
    /// older than the window are only added to `totalBytes`.
    public mutating func record(bytes: Int, at instant: ContinuousClock.Instant) {
        guard bytes > 0 else { return }
        totalBytes += Int64(bytes)
        guard let origin else {
            self.origin = instant
            newestBucket = 0
            buckets[0] = Int64(bytes)
            return
        }
        let bucket = bucketNumber(of: instant, origin: origin)
        if bucket > newestBucket {
            // Clear the buckets skipped since the last sample (at most the whole ring).
            let skipped = min(bucket - newestBucket, Int64(bucketCount))
            for step in 0..<skipped {
                buckets[slot(of: bucket - step)] = 0
            }
            newestBucket = bucket
        } else if bucket <= newestBucket - Int64(bucketCount) {
            return
        }
        buckets[slot(of: bucket)] += Int64(bytes)
    }

    /// Bytes per second over the window ending at `now`; 0 before the first sample or after a silent window.
    ///
    /// Early on the rate is averaged over the time since the first sample (at least one bucket), so a new
    /// peer's rate is meaningful after a second rather than ramping up over the whole window.
    public func rate(now: ContinuousClock.Instant) -> Double {
        guard let origin else { return 0 }
        let current = max(bucketNumber(of: now, origin: origin), newestBucket)
        let oldest = max(current - Int64(bucketCount) + 1, 0)
        guard oldest <= newestBucket else { return 0 }
        var bytes: Int64 = 0
        for bucket in oldest...newestBucket {
            bytes += buckets[slot(of: bucket)]
        }
        let windowStart = origin + bucketWidth * Int(oldest)
        let span = max(now - windowStart, bucketWidth)
        return Double(bytes) / (span / .seconds(1))
    }

    private func bucketNumber(of instant: ContinuousClock.Instant, origin: ContinuousClock.Instant) -> Int64 {
        guard instant > origin else { return 0 }
        return Int64(((instant - origin) / bucketWidth).rounded(.down))
    }

    private func slot(of bucket: Int64) -> Int {
        Int(bucket % Int64(bucketCount))
    }
}
