/// What one segment request told `PlaybackEstimator`.
public enum SegmentRequestKind: Hashable, Sendable {
    /// The first request: playback starts at this segment.
    case start
    /// Playback goes on: the request is near the estimated position, or the next one after the furthest.
    case continuation
    /// The player jumped: a new run starts at this segment, and the old window's pieces are not needed now.
    case seek

    /// True when a new run started somewhere else than where the old one was going.
    public var isSeek: Bool { self == .seek }
}
