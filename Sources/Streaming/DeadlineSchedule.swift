import TorrentModel

/// The deadlines the piece picker should hold for a video being watched, and how they changed since the
/// last schedule (docs/streaming.md).
///
/// Deadline mode: the missing head pieces are due `headDeadline` after `now`; every missing piece of each
/// segment from the playing one on that starts within `readAhead` of the position (and of every segment up
/// to the furthest the player asked for) is due `now + (segment start − position) − safetyMargin`, but not
/// before `now`, and `startupSlack` later until playback starts. The first `urgentSegments` segments of that
/// window and the head are urgent: the picker may request their pieces from more than one peer (`urgentBefore`).
/// Before the first request, playback is taken to begin at 0 once the head is due, and no segment is due before
/// the head.
/// Sequential mode: every missing piece, in piece order. Rarest-first mode: none.
public struct DeadlineSchedule: Hashable, Sendable {
    public let mode: StreamingMode
    /// The missing pieces with deadlines, by piece index.
    public let pieces: [ScheduledPiece]
    /// Pass to `PiecePicker.pickBlocks(urgentBefore:)`: the pieces due before it are the urgent ones (one
    /// nanosecond after the latest urgent deadline, since the picker compares strictly). Nil when no urgent
    /// piece is missing.
    public let urgentBefore: ContinuousClock.Instant?
    /// The pieces that are new or have another deadline than in the previous schedule (all of them without
    /// one): what to `setDeadline` in the picker.
    public let changed: [ScheduledPiece]
    /// Pieces the previous schedule had that this one drops and that are still missing, sorted: clear their
    /// deadlines and, after a seek, cancel their outstanding requests. Pieces dropped because they were
    /// verified are not listed (the picker clears those itself).
    public let cleared: [Int]

    /// The deadlines for playback at `position` (nil before the player asked for any segment) at `now`.
    /// `have` tells which pieces are verified; they are left out.
    public init(
        index: VideoTorrentIndex, position: PlaybackPosition?, now: ContinuousClock.Instant,
        settings: StreamingSettings = .standard, previous: DeadlineSchedule? = nil, have: (Int) -> Bool
    ) {
        var plan = Plan(now: now)
        switch settings.mode {
        case .rarestFirst: break
        case .sequential: plan.addSequential(pieceCount: index.pieceCount, previous: previous, have: have)
        case .deadline:
            let headDue = now + settings.headDeadline
            plan.add(index.headPieces, due: headDue, urgent: true, have: have)
            // Before any request, playback is taken to start at 0 once the head is there, and no segment
            // is due before the head.
            let start = position ?? PlaybackPosition(time: .zero, segment: 0)
            let origin = position == nil ? headDue : now - start.time
            let earliest = position == nil ? headDue : now
            // Until playback starts, a watcher already playing goes first (`startupSlack`).
            let slack = position?.isPlaying == true ? .zero : settings.startupSlack
            precondition(start.segment >= 0 && start.segment < index.segments.count, "segment out of range")
            let windowEnd = start.time + settings.readAhead
            var segment = start.segment
            while segment < index.segments.count
                && (index.segments[segment].start < windowEnd || segment <= start.furthestRequested)
            {
                let entry = index.segments[segment]
                let due = max(earliest, origin + entry.start - settings.safetyMargin) + slack
                let urgent = segment - start.segment < settings.urgentSegments
                plan.add(entry.pieces, due: due, urgent: urgent, have: have)
                segment += 1
            }
        }
        self.init(mode: settings.mode, plan: plan, previous: previous, have: have)
    }

    public init(
        index: VideoTorrentIndex, position: PlaybackPosition?, now: ContinuousClock.Instant,
        settings: StreamingSettings = .standard, previous: DeadlineSchedule? = nil, have: Bitfield
    ) {
        precondition(have.count == index.pieceCount, "bitfield has \(have.count) bits, not \(index.pieceCount)")
        self.init(index: index, position: position, now: now, settings: settings, previous: previous) { have[$0] }
    }

    /// Before the media playlist is known (it comes from the torrent itself): the playlists' pieces
    /// (`VideoTorrentIndex.playlistPieces`) are due `headDeadline` after `now`, urgent. Sequential mode
    /// schedules every piece as usual; rarest-first mode none.
    public init(
        playlistPieces: [Int], pieceCount: Int, now: ContinuousClock.Instant, settings: StreamingSettings = .standard,
        previous: DeadlineSchedule? = nil, have: (Int) -> Bool
    ) {
        var plan = Plan(now: now)
        switch settings.mode {
        case .rarestFirst: break
        case .sequential: plan.addSequential(pieceCount: pieceCount, previous: previous, have: have)
        case .deadline: plan.add(playlistPieces, due: now + settings.headDeadline, urgent: true, have: have)
        }
        self.init(mode: settings.mode, plan: plan, previous: previous, have: have)
    }

    private init(mode: StreamingMode, plan: Plan, previous: DeadlineSchedule?, have: (Int) -> Bool) {
        self.mode = mode
        pieces = plan.due.map { ScheduledPiece(piece: $0.key, deadline: $0.value) }.sorted { $0.piece < $1.piece }
        let latestUrgent = plan.urgent.compactMap { plan.due[$0] }.max()
        urgentBefore = latestUrgent.map { $0 + .nanoseconds(1) }
        guard let previous else {
            changed = pieces
            cleared = []
            return
        }
        changed = pieces.filter { previous.deadline(ofPiece: $0.piece) != $0.deadline }
        cleared = previous.pieces.lazy.map(\.piece).filter { plan.due[$0] == nil && !have($0) }
    }

    /// The deadline of `piece` in this schedule. O(log pieces).
    public func deadline(ofPiece piece: Int) -> ContinuousClock.Instant? {
        var low = 0
        var high = pieces.count
        while low < high {
            let middle = (low + high) / 2
            if pieces[middle].piece < piece { low = middle + 1 } else { high = middle }
        }
        return low < pieces.count && pieces[low].piece == piece ? pieces[low].deadline : nil
    }

    public var isEmpty: Bool { pieces.isEmpty }
}

extension DeadlineSchedule {
    /// The deadlines being gathered: a piece in two places (a head piece, or a piece two segments share in
    /// a torrent without pad files) keeps the earlier one.
    private struct Plan {
        let now: ContinuousClock.Instant
        var due: [Int: ContinuousClock.Instant] = [:]
        var urgent: Set<Int> = []

        init(now: ContinuousClock.Instant) { self.now = now }

        mutating func add(
            _ pieces: some Sequence<Int>, due deadline: ContinuousClock.Instant, urgent isUrgent: Bool,
            have: (Int) -> Bool
        ) {
            for piece in pieces where !have(piece) {
                due[piece] = min(due[piece] ?? deadline, deadline)
                if isUrgent { urgent.insert(piece) }
            }
        }

        /// All missing pieces; equal deadlines make the picker take them in piece order. A piece keeps the
        /// deadline a previous sequential schedule gave it, so recomputing changes nothing in the picker.
        mutating func addSequential(pieceCount: Int, previous: DeadlineSchedule?, have: (Int) -> Bool) {
            let kept = previous?.mode == .sequential ? previous : nil
            for piece in 0..<pieceCount where !have(piece) {
                due[piece] = kept?.deadline(ofPiece: piece) ?? now
            }
        }
    }
}
