/// Where the player is estimated to be, as `DeadlineSchedule` needs it.
public struct PlaybackPosition: Hashable, Sendable {
    /// Into the video, from 0.
    public var time: Duration
    /// The segment being played: the one containing `time`, but never past `furthestRequested`. A player
    /// that has played to the end of the furthest segment it asked for is waiting for that segment, not the
    /// next, so the window must still start there.
    public var segment: Int
    /// The furthest segment the player has asked for in this run; it is waiting for it, so the window
    /// reaches at least that far even when the player buffers beyond the read-ahead.
    public var furthestRequested: Int
    /// Whether the run's first segment was delivered: before that the player is starting (or seeking), not playing.
    public var isPlaying: Bool

    public init(time: Duration, segment: Int, furthestRequested: Int? = nil, isPlaying: Bool = true) {
        self.time = time
        self.segment = segment
        self.furthestRequested = max(segment, furthestRequested ?? segment)
        self.isPlaying = isPlaying
    }
}
