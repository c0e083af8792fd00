/// Estimates where a player is in the video from the segments it requests and receives (docs/streaming.md).
///
/// Players fetch segments in order, ahead of the playhead by their buffer, and play at real time. So a
/// run starts at the first request and at each seek, and plays from the delivery of its first segment; within
/// it, the position is the start of the run's first segment plus the time played, but never past the end of the
/// furthest segment requested, nor, once playing, of the furthest delivered (the player cannot play what it has
/// not received; it is stalled waiting for it). When the segment it waits for arrives, or a request comes while
/// the estimate is held, the run goes on from that point: time spent stalled is not time played.
public struct PlaybackEstimator: Sendable {
    /// Playback since the last seek: at `anchoredAt` the player was at `anchorTime`, and plays on at real time.
    private struct Run: Sendable {
        var firstSegment: Int
        var furthestSegment: Int
        var anchorTime: Duration
        var anchoredAt: ContinuousClock.Instant
        /// Whether the run's first segment was delivered (playback began).
        var playing = false
        /// The furthest segment of the run delivered, once playing.
        var furthestDelivered: Int?

        /// A run starting at `segment` at `now`.
        init(_ segment: Int, at now: ContinuousClock.Instant, in segments: [VideoSegment]) {
            firstSegment = segment
            furthestSegment = segment
            anchorTime = segments[segment].start
            anchoredAt = now
        }
    }

    private let segments: [VideoSegment]
    private let seekThreshold: Duration
    private var run: Run?
    /// The segment of the most recent request.
    public private(set) var lastRequestedSegment: Int?

    public init(index: VideoTorrentIndex, settings: StreamingSettings = .standard) {
        self.segments = index.segments
        self.seekThreshold = settings.seekThreshold
    }

    /// The furthest segment requested since the last seek.
    public var furthestRequestedSegment: Int? { run?.furthestSegment }

    /// The run's first segment while it is not delivered yet (playback starts when it is); nil once playing.
    public var startingSegment: Int? { run.flatMap { $0.playing ? nil : $0.firstSegment } }

    /// Notes a request for `segment` (an index into the playlist) at `now`.
    ///
    /// A request more than one segment behind the estimated position is a seek back; one that skips ahead
    /// of the furthest segment requested by more than `seekThreshold` from the estimate is a seek forward.
    /// The next segment after the furthest is never a seek, however far ahead the player buffers.
    @discardableResult
    public mutating func record(segment: Int, at now: ContinuousClock.Instant) -> SegmentRequestKind {
        precondition(segment >= 0 && segment < segments.count, "segment \(segment) out of range")
        lastRequestedSegment = segment
        guard var current = run, let estimate = position(at: now) else {
            run = Run(segment, at: now, in: segments)
            return .start
        }
        let isBack = segment < estimate.segment - 1
        let isForward =
            segment > current.furthestSegment + 1 && segments[segment].start - estimate.time > seekThreshold
        if isBack || isForward {
            run = Run(segment, at: now, in: segments)
            return .seek
        }
        if current.anchorTime + max(.zero, now - current.anchoredAt) > estimate.time {
            // The player was stalled at the end of what it had asked for; the stall does not count as playing.
            current.anchorTime = estimate.time
            current.anchoredAt = now
        }
        current.furthestSegment = max(current.furthestSegment, segment)
        run = current
        return .continuation
    }

    /// The player received `segment` at `now`. A run's playback starts when its first segment arrives, not when it
    /// was asked for: the wait before it (startup, or a seek) is not time played. Later, a segment that arrives
    /// while the estimate is held at the end of what was delivered ends a stall: playback resumes from there.
    public mutating func delivered(segment: Int, at now: ContinuousClock.Instant) {
        guard var current = run, segment >= current.firstSegment, segment <= current.furthestSegment else { return }
        if !current.playing {
            guard segment == current.firstSegment else { return }
            current.playing = true
            current.furthestDelivered = segment
            if current.anchorTime == segments[current.firstSegment].start && now > current.anchoredAt {
                current.anchoredAt = now
            }
        } else if let furthest = current.furthestDelivered, segment > furthest {
            let heldAt = segments[furthest].end
            if current.anchorTime + max(.zero, now - current.anchoredAt) > heldAt {
                current.anchorTime = heldAt
                current.anchoredAt = now
            }
            current.furthestDelivered = segment
        }
        run = current
    }

    /// The estimated position at `now`; nil before the first request.
    public func position(at now: ContinuousClock.Instant) -> PlaybackPosition? {
        guard let run else { return nil }
        let elapsed = max(.zero, now - run.anchoredAt)
        let received = run.furthestDelivered.map { segments[$0].end } ?? segments[run.furthestSegment].end
        let time = min(run.anchorTime + elapsed, segments[run.furthestSegment].end, received)
        // The last segment of the run starting at or before `time`: O(log segments).
        var low = run.firstSegment
        var high = run.furthestSegment
        while low < high {
            let middle = (low + high + 1) / 2
            if segments[middle].start <= time { low = middle } else { high = middle - 1 }
        }
        let segment = low
        return PlaybackPosition(
            time: time, segment: segment, furthestRequested: run.furthestSegment, isPlaying: run.playing)
    }
}
