import Streaming
import Testing
import TorrentModel

/// `VideoTorrentFixture.standard`: piece 0 is the head, segment k (4 s, starting at 4k s) is pieces 2k+1 and
/// 2k+2. Settings: `twoUrgent` (the defaults but 2 urgent segments and no startup slack: 45 s read-ahead, 1 s safety
/// margin, head due at once), so a short index still has segments past the urgent ones; the slack has tests of its
/// own.
@Suite struct DeadlineScheduleTests {
    static let twoUrgent = StreamingSettings(urgentSegments: 2, startupSlack: .zero)
    let clock = SimulatedClock()
    let index: VideoTorrentIndex

    init() throws { index = try VideoTorrentFixture.standard.index() }

    private func at(_ seconds: Double) -> ContinuousClock.Instant { clock.at(seconds) }

    private func seconds(_ value: Double) -> Duration { .milliseconds(Int64(value * 1000)) }

    /// The pieces of `segments`, each due at `due(segment)`.
    private func pieces(
        _ segments: ClosedRange<Int>, due: (Int) -> ContinuousClock.Instant, except had: Set<Int> = []
    ) -> [ScheduledPiece] {
        segments.flatMap { segment in
            [2 * segment + 1, 2 * segment + 2].filter { !had.contains($0) }.map {
                ScheduledPiece(piece: $0, deadline: due(segment))
            }
        }
    }

    private func schedule(
        at now: Double, position: PlaybackPosition?, settings: StreamingSettings = Self.twoUrgent,
        previous: DeadlineSchedule? = nil, have: Set<Int> = []
    ) -> DeadlineSchedule {
        DeadlineSchedule(
            index: index, position: position, now: at(now), settings: settings, previous: previous
        ) { have.contains($0) }
    }

    // MARK: Start

    @Test func atTheStartTheHeadAndTheOpeningWindowAreDue() {
        let schedule = schedule(at: 0, position: nil)
        // Head and segment 0 at once, segment k at 4k − 1 s; segment 11 (44 s) is the last within 45 s.
        let expected =
            [ScheduledPiece(piece: 0, deadline: at(0))]
            + pieces(0...11) { at(max(0, Double(4 * $0 - 1))) }
        #expect(schedule.pieces == expected)
        #expect(schedule.urgentBefore == at(3) + .nanoseconds(1))
        #expect(schedule.changed == expected)
        #expect(schedule.cleared == [])
        #expect(schedule.mode == .deadline)
    }

    @Test func theHeadDeadlineDelaysTheOpeningWindowAndNoSegmentIsDueBeforeTheHead() {
        let settings = StreamingSettings(urgentSegments: 2, headDeadline: .seconds(2), startupSlack: .zero)
        let schedule = schedule(at: 0, position: nil, settings: settings)
        #expect(schedule.deadline(ofPiece: 0) == at(2))
        #expect(schedule.deadline(ofPiece: 1) == at(2))
        #expect(schedule.deadline(ofPiece: 3) == at(5))
        #expect(schedule.deadline(ofPiece: 24) == at(45))
        #expect(schedule.deadline(ofPiece: 25) == nil)
        #expect(schedule.urgentBefore == at(5) + .nanoseconds(1))
        // The picker takes equal deadlines in piece order, so the head comes first.
        let first = schedule.pieces.min { ($0.deadline, $0.piece) < ($1.deadline, $1.piece) }
        #expect(first?.piece == 0)
    }

    @Test func untilPlaybackStartsTheSegmentsAreDueTheStartupSlackLater() {
        let settings = StreamingSettings(urgentSegments: 2, startupSlack: .milliseconds(1500))
        // Segment k is due at 4k − 1 s (segment 0 at once) plus 1.5 s; the head is not delayed.
        let expected =
            [ScheduledPiece(piece: 0, deadline: at(0))] + pieces(0...11) { at(max(0, Double(4 * $0 - 1)) + 1.5) }
        let opening = schedule(at: 0, position: nil, settings: settings)
        #expect(opening.pieces == expected)
        #expect(opening.urgentBefore == at(4.5) + .nanoseconds(1))
        let starting = schedule(
            at: 0, position: PlaybackPosition(time: .zero, segment: 0, isPlaying: false), settings: settings)
        #expect(starting.pieces == expected)
        // Playing, the same position has no slack: a watcher about to stall goes before one that is starting.
        let playing = schedule(
            at: 0, position: PlaybackPosition(time: .zero, segment: 0, isPlaying: true), settings: settings)
        #expect(
            playing.pieces == [ScheduledPiece(piece: 0, deadline: at(0))]
                + pieces(0...11) { at(max(0, Double(4 * $0 - 1))) })
        #expect(playing.deadline(ofPiece: 1).map { $0 < starting.deadline(ofPiece: 1)! } == true)
        // A late segment of a starting run is due the slack after now, whenever now is.
        let stillStarting = schedule(
            at: 10, position: PlaybackPosition(time: .seconds(4), segment: 1, isPlaying: false), settings: settings)
        #expect(stillStarting.deadline(ofPiece: 3) == at(11.5))
    }

    @Test func beforeThePlaylistIsKnownThePlaylistPiecesAreDue() {
        let bootstrap = DeadlineSchedule(playlistPieces: [0, 1], pieceCount: 41, now: at(0)) { $0 == 1 }
        #expect(bootstrap.pieces == [ScheduledPiece(piece: 0, deadline: at(0))])
        #expect(bootstrap.urgentBefore == at(0) + .nanoseconds(1))

        let sequential = DeadlineSchedule(
            playlistPieces: [0, 1], pieceCount: 41, now: at(0), settings: StreamingSettings(mode: .sequential)
        ) { $0 == 1 }
        #expect(sequential.pieces.map(\.piece) == [0] + Array(2..<41))
        #expect(sequential.urgentBefore == nil)

        let rarest = DeadlineSchedule(
            playlistPieces: [0, 1], pieceCount: 41, now: at(0), settings: StreamingSettings(mode: .rarestFirst)
        ) { _ in false }
        #expect(rarest.isEmpty)
    }

    // MARK: The window

    @Test func theWindowRunsFromThePlayingSegmentForTheReadAhead() {
        // At 10 s (segment 2): segments 2...13, since segment 13 starts at 52 s < 55 s and segment 14 at 56 s.
        let schedule = schedule(at: 0, position: PlaybackPosition(time: .seconds(10), segment: 2), have: [0])
        // Segment k is due 4k − 10 − 1 s from now; segment 2 (started at 8 s) is late and due now.
        #expect(schedule.pieces == pieces(2...13) { at(max(0, Double(4 * $0 - 11))) })
        #expect(schedule.deadline(ofPiece: 5) == at(0))
        #expect(schedule.deadline(ofPiece: 7) == at(1))
        #expect(schedule.deadline(ofPiece: 28) == at(41))
        // Urgent: segments 2 and 3.
        #expect(schedule.urgentBefore == at(1) + .nanoseconds(1))
    }

    @Test func windowAndUrgencyFollowTheSettings() {
        let settings = StreamingSettings(urgentSegments: 1, readAhead: .seconds(10), safetyMargin: .milliseconds(500))
        let schedule = schedule(
            at: 0, position: PlaybackPosition(time: .seconds(10), segment: 2), settings: settings, have: [0])
        #expect(schedule.pieces == pieces(2...4) { at(max(0, Double(4 * $0) - 10.5)) })
        #expect(schedule.urgentBefore == at(0) + .nanoseconds(1))
    }

    @Test func theWindowReachesTheFurthestRequestedSegment() {
        // The player buffers far ahead and waits for segment 18 (72 s), beyond the read-ahead.
        let position = PlaybackPosition(time: .seconds(10), segment: 2, furthestRequested: 18)
        let schedule = schedule(at: 0, position: position, have: [0])
        #expect(schedule.pieces == pieces(2...18) { at(max(0, Double(4 * $0 - 11))) })
        #expect(schedule.deadline(ofPiece: 38) == at(61))
    }

    @Test func aMissingHeadIsDueAtOnceAndUrgentDuringPlayback() {
        let schedule = schedule(at: 0, position: PlaybackPosition(time: .seconds(40), segment: 10))
        #expect(schedule.deadline(ofPiece: 0) == at(0))
        #expect(schedule.pieces.first == ScheduledPiece(piece: 0, deadline: at(0)))
        #expect(schedule.urgentBefore == at(3) + .nanoseconds(1))
    }

    @Test func verifiedPiecesAreLeftOut() {
        let have: Set<Int> = [0, 5, 6, 7, 8, 10]
        let schedule = schedule(at: 0, position: PlaybackPosition(time: .seconds(10), segment: 2), have: have)
        #expect(schedule.pieces == pieces(4...13, due: { at(Double(4 * $0 - 11)) }, except: have))
        #expect(schedule.pieces.first?.piece == 9)
        // Both urgent segments (pieces 5...8) are verified: nothing is urgent.
        #expect(schedule.urgentBefore == nil)
    }

    @Test func theBitfieldGivesTheSameScheduleAsAClosure() {
        var bitfield = Bitfield(count: 41)
        for piece in [0, 5, 9, 20] { bitfield[piece] = true }
        let position = PlaybackPosition(time: .seconds(10), segment: 2)
        let fromBitfield = DeadlineSchedule(
            index: index, position: position, now: at(0), settings: Self.twoUrgent, have: bitfield)
        #expect(fromBitfield == schedule(at: 0, position: position, have: [0, 5, 9, 20]))
    }

    @Test func piecesSharedBySegmentsTakeTheEarlierDeadline() throws {
        // No pad files: segment 1 is pieces 0 and 1, segment 2 piece 1.
        let fixture = VideoTorrentFixture(segmentLengths: [10_000, 10_000, 10_000], durations: [4, 4, 4], pad: false)
        let index = try fixture.index()
        let schedule = DeadlineSchedule(
            index: index, position: PlaybackPosition(time: .seconds(5), segment: 1), now: at(0), have: { _ in false })
        #expect(
            schedule.pieces == [ScheduledPiece(piece: 0, deadline: at(0)), ScheduledPiece(piece: 1, deadline: at(0))])
    }

    // MARK: Time passing

    @Test func deadlinesStayPutWhileTheirTimeRunsOut() throws {
        var estimator = PlaybackEstimator(index: index)
        for segment in 0...3 { estimator.record(segment: segment, at: at(Double(segment) * 0.25)) }
        let have: Set<Int> = [0, 1, 2]

        let atTwo: PlaybackPosition = try #require(estimator.position(at: at(2)))
        let atSix: PlaybackPosition = try #require(estimator.position(at: at(6)))
        #expect(atTwo == PlaybackPosition(time: .seconds(2), segment: 0, furthestRequested: 3, isPlaying: false))
        let early = schedule(at: 2, position: atTwo, have: have)
        let later = schedule(at: 6, position: atSix, previous: early, have: have)
        // Segment 3 (12 s) is due at 11 s on the clock both times: 9 s left, then 5 s.
        #expect(early.deadline(ofPiece: 7) == at(11))
        #expect(later.deadline(ofPiece: 7) == at(11))
        #expect(early.deadline(ofPiece: 7).map { $0 - at(2) } == .seconds(9))
        #expect(later.deadline(ofPiece: 7).map { $0 - at(6) } == .seconds(5))
        // Only segment 1 (now late, due now) and segment 12 (entering the window) change.
        #expect(
            later.changed == [
                ScheduledPiece(piece: 3, deadline: at(6)), ScheduledPiece(piece: 4, deadline: at(6)),
                ScheduledPiece(piece: 25, deadline: at(47)), ScheduledPiece(piece: 26, deadline: at(47)),
            ])
        #expect(later.cleared == [])
        #expect(later.urgentBefore == at(7) + .nanoseconds(1))

        // Once a segment's start has passed, it is due now, whenever now is.
        let atThirteen: PlaybackPosition = try #require(estimator.position(at: at(13)))
        let late = schedule(at: 13, position: atThirteen, have: have)
        #expect(late.deadline(ofPiece: 7) == at(13))
    }

    // MARK: Seeks

    @Test func afterASeekTheOldWindowIsCleared() {
        let before = schedule(at: 0, position: PlaybackPosition(time: .seconds(10), segment: 2), have: [0])
        // Seek to 60 s (segment 15) one second later; piece 5 was verified meanwhile.
        let after = schedule(
            at: 1, position: PlaybackPosition(time: .seconds(60), segment: 15), previous: before, have: [0, 5])
        #expect(after.pieces == pieces(15...19) { at(max(1, Double(4 * $0 - 60))) })
        #expect(after.changed == after.pieces)
        #expect(after.cleared == Array(6...28))
        #expect(after.urgentBefore == at(4) + .nanoseconds(1))
    }

    // MARK: Modes

    @Test func sequentialModeSchedulesEveryMissingPieceInOrderAndKeepsTheDeadlines() {
        let settings = StreamingSettings(mode: .sequential)
        let position = PlaybackPosition(time: .seconds(40), segment: 10)
        let first = schedule(at: 0, position: position, settings: settings, have: [0, 3])
        #expect(first.pieces == ([1, 2] + Array(4...40)).map { ScheduledPiece(piece: $0, deadline: at(0)) })
        #expect(first.urgentBefore == nil)

        let second = schedule(at: 5, position: nil, settings: settings, previous: first, have: [0, 3, 4])
        #expect(second.pieces == ([1, 2] + Array(5...40)).map { ScheduledPiece(piece: $0, deadline: at(0)) })
        #expect(second.changed == [])
        #expect(second.cleared == [])

        // Coming from another mode, the deadlines are made anew.
        let deadline = schedule(at: 0, position: position, have: [0])
        let switched = schedule(at: 5, position: position, settings: settings, previous: deadline, have: [0])
        #expect(switched.pieces.allSatisfy { $0.deadline == at(5) })
        #expect(switched.changed.count == 40)
    }

    @Test func rarestFirstModeHasNoDeadlinesAndClearsThePreviousOnes() {
        let settings = StreamingSettings(mode: .rarestFirst)
        let fresh = schedule(at: 0, position: nil, settings: settings)
        #expect(fresh.isEmpty)
        #expect(fresh.urgentBefore == nil)
        #expect(fresh.changed == [])

        let deadline = schedule(at: 0, position: PlaybackPosition(time: .seconds(10), segment: 2), have: [0])
        let switched = schedule(
            at: 1, position: PlaybackPosition(time: .seconds(11), segment: 2), settings: settings,
            previous: deadline, have: [0, 28])
        #expect(switched.isEmpty)
        #expect(switched.cleared == Array(5...27))
    }
}
