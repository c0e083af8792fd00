/// The segment durations an ingest aims for: `target` seconds each, except that with a fast start the first
/// two aim at half the target, so a player has its first segment, and starts playing, after half the bytes
/// (docs/video-torrent.md, "Fast start"). Two, and no shorter: a player that starts on a short segment must
/// get the next one before the first has played. Fetching at twice the bit rate, a segment twice as long as
/// the one before arrives just as the buffer runs dry; one as long (or, later, twice the one before minus
/// the first) leaves a quarter of the target to spare.
///
/// Pure. Copied video still cuts only at the source's key frames, so a fast start shortens the first
/// segments only where the source has key frames close enough; re-encoded video gets key frames exactly at
/// `boundary(_:)`.
public struct SegmentTimeline: Hashable, Sendable {
    /// Seconds: the duration of every segment after the startup ones.
    public let target: Double
    /// Seconds: the targets of the first segments, in order.
    public let startup: [Double]

    /// No startup segment is shorter than this: shorter ones would cost more in requests and playlist
    /// lines than they save.
    public static let minimumStartupDuration = 1.0

    public init(target: Double, fastStart: Bool = false) {
        self.target = target
        startup = fastStart && target / 2 >= Self.minimumStartupDuration ? [target / 2, target / 2] : []
    }

    /// The target duration of segment `index` (counting from 0).
    public func target(ofSegment index: Int) -> Double {
        index < startup.count ? startup[index] : target
    }

    /// Seconds after the start of the timeline where segment `index` begins: 0 for the first.
    public func boundary(_ index: Int) -> Double {
        let early = min(index, startup.count)
        return startup.prefix(early).reduce(0, +) + Double(index - early) * target
    }

    /// The index of the first boundary after `offset` seconds from the start (1 for any offset in the
    /// first segment).
    public func nextBoundaryIndex(after offset: Double) -> Int {
        var index = 1
        for _ in startup where boundary(index) <= offset { index += 1 }
        guard boundary(index) <= offset else { return index }
        let regularStart = boundary(startup.count)
        return startup.count + Int(((offset - regularStart) / target).rounded(.down)) + 1
    }
}
