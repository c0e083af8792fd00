/// Quality of experience of one torrent's playback, measured where it happens: at the HTTP server that hands
/// the player its files (docs/streaming.md, "Quality of experience").
///
/// - **Startup**: from the first playlist request to the first media segment sent.
/// - **Stall**: after startup, a media segment the player needs now (the estimated playback position has reached
///   its start) is not verified yet; the stall lasts until it is (or the server gives up with 503). A request
///   that waits while the player still has video before the segment is read-ahead, not a stall.
public struct PlaybackQuality: Hashable, Sendable {
    public private(set) var firstPlaylistRequest: ContinuousClock.Instant?
    public private(set) var firstSegmentSent: ContinuousClock.Instant?
    public private(set) var stalls = 0
    /// Total wait of stalls that ended.
    public private(set) var stallTime: Duration = .zero
    /// Stalls still waiting, and since when.
    public private(set) var waitingSince: [Int: ContinuousClock.Instant] = [:]
    public private(set) var segmentsServed = 0
    public private(set) var seeks = 0
    /// Segment requests answered 503 because the pieces did not come in time.
    public private(set) var unavailableAnswers = 0
    private var nextWait = 0

    public init() {}

    /// From the first playlist request to the first segment sent; nil until both happened.
    public var startup: Duration? {
        guard let start = firstPlaylistRequest, let end = firstSegmentSent else { return nil }
        return max(.zero, end - start)
    }

    /// Stall time including the stalls still waiting at `now`.
    public func totalStallTime(at now: ContinuousClock.Instant) -> Duration {
        waitingSince.values.reduce(stallTime) { $0 + max(.zero, now - $1) }
    }

    public mutating func playlistRequested(at now: ContinuousClock.Instant) {
        if firstPlaylistRequest == nil { firstPlaylistRequest = now }
    }

    public mutating func seeked() { seeks += 1 }

    /// A segment was requested while some of its pieces are missing: a stall begins. Returns its ticket.
    public mutating func stallBegan(at now: ContinuousClock.Instant) -> Int {
        stalls += 1
        let ticket = nextWait
        nextWait += 1
        waitingSince[ticket] = now
        return ticket
    }

    /// The stall ended: its pieces arrived, or the request was answered 503 (`unavailable`).
    public mutating func stallEnded(_ ticket: Int, at now: ContinuousClock.Instant, unavailable: Bool = false) {
        guard let since = waitingSince.removeValue(forKey: ticket) else { return }
        stallTime += max(.zero, now - since)
        if unavailable { unavailableAnswers += 1 }
    }

    /// The bytes of a media segment are being sent.
    public mutating func segmentSent(at now: ContinuousClock.Instant) {
        segmentsServed += 1
        if firstSegmentSent == nil { firstSegmentSent = now }
    }
}
