/// The tunables of streaming a video torrent, all in one place (the table in docs/streaming.md).
/// `standard` is what `shoal watch` uses; tests and benchmarks change single values.
public struct StreamingSettings: Hashable, Sendable {
    public var mode: StreamingMode
    /// The segments from the playing one on whose missing pieces are urgent: the picker takes them in deadline
    /// order before the rest of the window (which it takes rarest first) and may request their blocks from a
    /// second peer, so one slow peer cannot stall playback. Four is about 16 s of video: in the streaming
    /// benchmark four against two gave fewer stalls and deadline misses over five rounds (docs/benchmarks.md);
    /// the whole window in deadline order starves the swarm of pieces to trade.
    public var urgentSegments: Int
    /// Segments starting less than this after the playback position get deadlines. hls.js keeps at least
    /// 30 s buffered by default; 15 s more lets pieces arrive before the player asks for them without
    /// taking the swarm's bandwidth away from rarest-first for long (about 11 segments of 4 s).
    public var readAhead: Duration
    /// Taken off every deadline: a piece due when its segment starts playing is already late, since it
    /// must still be hashed, served over HTTP and demuxed by the player.
    public var safetyMargin: Duration
    /// How long after the start the head pieces (playlists and init segment) are due: at once by default,
    /// since the player can do nothing without them.
    public var headDeadline: Duration
    /// A request for a segment that skips ahead (not the next one after the furthest requested) and starts
    /// more than this after the estimated position is a seek. As long as the read-ahead window: a player
    /// buffering within the window is not seeking.
    public var seekThreshold: Duration
    /// In deadline mode, the requests kept outstanding at each peer cover this much time at its rate (plain
    /// downloads: 2 s, `SwarmSettings.requestQueueTime`). Every uploader serves what it was asked in turn, so
    /// an urgent block waits behind about this much of the asker's read-ahead: 1 s against 2 s cut the stall
    /// time of the streaming benchmark by a third, and by three quarters with 2-s segments; 0.5 s starved the
    /// pipelines (docs/benchmarks.md).
    public var requestQueueTime: Duration
    /// In deadline mode, until the media playlist is verified (and for at most this long), the head is all a
    /// watcher asks for: without the playlist it cannot tell its first segment's pieces from the rest, and pieces
    /// picked at random meanwhile filled the origin's queue ahead of them (docs/streaming.md).
    public var headOnlyLimit: Duration
    /// In deadline mode, the watcher's choker gives its regular upload slots to the peers it trades the most with
    /// both ways, not only to those sending it the most (`ChokerConfiguration.LeechingMode.exchange`): a viewer's
    /// peers behind it in the video have nothing it lacks, and tit-for-tat choked them at its rounds with their
    /// pieces half sent. In the streaming benchmark it cut the stall time by a seventh and the deadline misses
    /// by a fifth over five rounds (docs/benchmarks.md).
    public var unchokesByExchange: Bool
    /// In deadline mode, until playback starts (before the first segment of a run is delivered), the segments are
    /// due this much later than from the position alone. A watcher's deadlines reach its uploaders, which serve
    /// the earliest due first: a newcomer's first segments were due at once, as early as the next segment of a
    /// watcher about to stall, and went first (lower piece), so the watchers already playing stalled while the
    /// newcomers started in half a second. Startup is not played time: 1.5 s later, the streaming benchmark had fewer
    /// stalls in nine rounds of nine (median 15 against 27) for 0.5 s more startup p95 (docs/benchmarks.md).
    public var startupSlack: Duration
    /// In deadline mode, a run's first segment (at startup, or after a seek) goes out once the segment after it is
    /// verified too, or this long after the run began (the first playlist request, or the seek's request). A
    /// player that starts with one segment needs the next one before that has played, while the swarm is at its
    /// busiest with newcomers: in the streaming benchmark the first watchers' second segments came down a chain of
    /// watchers and arrived a fraction of a second late. Held at most 0.8 s, twelve rounds had 4 stalls against 27,
    /// for startup p95 0.8 s against 0.85 s (docs/benchmarks.md). With a fast swarm the next segment is there first.
    public var startupBuffer: Duration

    public init(
        mode: StreamingMode = .deadline, urgentSegments: Int = 4, readAhead: Duration = .seconds(45),
        safetyMargin: Duration = .seconds(1), headDeadline: Duration = .zero, seekThreshold: Duration = .seconds(45),
        requestQueueTime: Duration = .seconds(1), headOnlyLimit: Duration = .seconds(10),
        unchokesByExchange: Bool = true, startupSlack: Duration = .milliseconds(1500),
        startupBuffer: Duration = .milliseconds(800)
    ) {
        precondition(urgentSegments >= 0, "urgentSegments must not be negative")
        precondition(readAhead >= .zero && safetyMargin >= .zero, "durations must not be negative")
        precondition(headDeadline >= .zero && seekThreshold >= .zero, "durations must not be negative")
        precondition(requestQueueTime > .zero, "requestQueueTime must be positive")
        precondition(headOnlyLimit >= .zero && startupSlack >= .zero, "durations must not be negative")
        precondition(startupBuffer >= .zero, "durations must not be negative")
        self.mode = mode
        self.urgentSegments = urgentSegments
        self.readAhead = readAhead
        self.safetyMargin = safetyMargin
        self.headDeadline = headDeadline
        self.seekThreshold = seekThreshold
        self.requestQueueTime = requestQueueTime
        self.headOnlyLimit = headOnlyLimit
        self.unchokesByExchange = unchokesByExchange
        self.startupSlack = startupSlack
        self.startupBuffer = startupBuffer
    }

    public static let standard = StreamingSettings()
}
