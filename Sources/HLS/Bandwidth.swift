/// The `BANDWIDTH` and `AVERAGE-BANDWIDTH` of a variant stream, in bits per second, measured from the
/// sizes and durations of its media segments.
///
/// Only media segments count, not the initialization section: RFC 8216 §4.3.4.2 defines both values from
/// the media segments' sizes and durations, Apple's authoring specification measures media segments too,
/// and a player downloads the init section once per switch, not once per segment duration.
public struct Bandwidth: Sendable, Equatable, Hashable {
    /// The highest bit rate of a single segment, rounded up. RFC 8216 takes the highest rate over windows of
    /// 0.5 to 1.5 target durations; a window's rate is an average of its segments' rates, so the highest
    /// single segment is never below it, and declaring too much only makes a player cautious.
    public var peak: Int
    /// All segments' bits over all their durations, rounded up.
    public var average: Int

    public init(peak: Int, average: Int) {
        self.peak = peak
        self.average = average
    }

    /// Measures segments given as (size in bytes, duration in seconds). Segments without a positive
    /// duration cannot have a rate and are left out of the peak; their bytes still count in the average,
    /// since a player downloads them all the same. Negative sizes count as zero.
    public init(segments: [(bytes: Int, duration: Double)]) {
        var peak = 0
        var totalBits = 0.0
        var totalDuration = 0.0
        for segment in segments {
            // Doubles: bytes × 8 can overflow `Int` for absurd sizes, and durations are doubles anyway.
            let bits = Double(max(0, segment.bytes)) * 8
            totalBits += bits
            guard segment.duration > 0, segment.duration.isFinite else { continue }
            totalDuration += segment.duration
            peak = max(peak, DecimalText.ceilingClamped(bits / segment.duration))
        }
        let average = totalDuration > 0 ? DecimalText.ceilingClamped(totalBits / totalDuration) : 0
        self.init(peak: peak, average: average)
    }
}
