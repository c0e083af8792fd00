/// How long a run's first segment (at startup, or after a seek) is held back: until the segment after it is
/// verified too, or `StreamingSettings.startupBuffer` after the run began, whichever comes first (docs/streaming.md).
public struct StartupBuffer: Hashable, Sendable {
    /// The next segment's pieces: the first segment goes out once they are all verified.
    public let pieces: Range<Int>
    /// The latest the first segment is held until.
    public let until: ContinuousClock.Instant

    /// The hold for a request of `segment`, or nil when it goes out as soon as it is verified: in the plain modes,
    /// with a zero buffer, for a segment that is not the run's first still to be delivered (`startingSegment`, see
    /// `PlaybackEstimator.startingSegment`), and for the last segment. `runBegan` is the first playlist request at
    /// startup, the seek's request after a seek.
    public init?(
        segment: VideoSegment, index: VideoTorrentIndex, startingSegment: Int?, runBegan: ContinuousClock.Instant,
        settings: StreamingSettings
    ) {
        guard settings.mode == .deadline, settings.startupBuffer > .zero, segment.index == startingSegment,
            segment.index + 1 < index.segments.count
        else { return nil }
        pieces = index.segments[segment.index + 1].pieces
        until = runBegan + settings.startupBuffer
    }
}
