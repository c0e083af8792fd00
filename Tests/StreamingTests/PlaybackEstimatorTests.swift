import Streaming
import Testing

/// Twenty 4-second segments (`VideoTorrentFixture.standard`); the default seek threshold of 45 s.
@Suite struct PlaybackEstimatorTests {
    let clock = SimulatedClock()
    let index: VideoTorrentIndex

    init() throws { index = try VideoTorrentFixture.standard.index() }

    /// Most tests here deliver nothing: their runs are not playing yet, though their estimates advance.
    private func position(_ seconds: Double, segment: Int, furthest: Int, playing: Bool = false) -> PlaybackPosition {
        PlaybackPosition(
            time: .milliseconds(Int64(seconds * 1000)), segment: segment, furthestRequested: furthest,
            isPlaying: playing)
    }

    @Test func nothingIsKnownBeforeTheFirstRequest() {
        let estimator = PlaybackEstimator(index: index)
        #expect(estimator.position(at: clock.at(10)) == nil)
        #expect(estimator.lastRequestedSegment == nil)
        #expect(estimator.furthestRequestedSegment == nil)
    }

    @Test func sequentialPlaybackAdvancesAtRealTime() {
        var estimator = PlaybackEstimator(index: index)
        #expect(estimator.record(segment: 0, at: clock.at(0)) == .start)
        #expect(estimator.position(at: clock.at(0)) == position(0, segment: 0, furthest: 0))
        #expect(estimator.position(at: clock.at(2.5)) == position(2.5, segment: 0, furthest: 0))
        for segment in 1..<5 {
            #expect(estimator.record(segment: segment, at: clock.at(Double(segment * 4))) == .continuation)
        }
        #expect(estimator.position(at: clock.at(17.5)) == position(17.5, segment: 4, furthest: 4))
        #expect(estimator.lastRequestedSegment == 4)
    }

    @Test func playbackOfARunStartsWhenItsFirstSegmentArrives() {
        var estimator = PlaybackEstimator(index: index)
        #expect(estimator.startingSegment == nil)
        estimator.record(segment: 0, at: clock.at(0))
        #expect(estimator.position(at: clock.at(1))?.isPlaying == false)
        #expect(estimator.startingSegment == 0)
        estimator.delivered(segment: 0, at: clock.at(1.5))
        #expect(estimator.startingSegment == nil)
        #expect(estimator.position(at: clock.at(3)) == position(1.5, segment: 0, furthest: 0, playing: true))
        // Later deliveries, and deliveries of other segments, do not move it again.
        estimator.record(segment: 1, at: clock.at(3))
        estimator.delivered(segment: 1, at: clock.at(4))
        estimator.delivered(segment: 0, at: clock.at(5))
        #expect(estimator.position(at: clock.at(6)) == position(4.5, segment: 1, furthest: 1, playing: true))
        // A seek starts a new run, which starts playing on delivery too.
        #expect(estimator.record(segment: 15, at: clock.at(7)) == .seek)
        #expect(estimator.startingSegment == 15)
        #expect(estimator.position(at: clock.at(8)) == position(61, segment: 15, furthest: 15))
        estimator.delivered(segment: 15, at: clock.at(9))
        #expect(estimator.position(at: clock.at(10)) == position(61, segment: 15, furthest: 15, playing: true))
    }

    @Test func aStallBetweenDeliveriesIsNotCountedAsPlayed() {
        var estimator = PlaybackEstimator(index: index)
        estimator.record(segment: 0, at: clock.at(0))
        estimator.delivered(segment: 0, at: clock.at(1))
        estimator.record(segment: 1, at: clock.at(1))
        estimator.delivered(segment: 1, at: clock.at(2))
        estimator.record(segment: 2, at: clock.at(2))
        // Segment 2 is asked for but not there: the player stops at the end of segment 1 (8 s), at 9 s.
        #expect(estimator.position(at: clock.at(5)) == position(4, segment: 1, furthest: 2, playing: true))
        #expect(estimator.position(at: clock.at(12)) == position(8, segment: 2, furthest: 2, playing: true))
        // It arrives at 15 s: playback resumes from 8 s then, not from 12 s (the end of what was asked for).
        estimator.delivered(segment: 2, at: clock.at(15))
        #expect(estimator.position(at: clock.at(16)) == position(9, segment: 2, furthest: 2, playing: true))
        // A segment that arrives before playback reaches it changes nothing.
        estimator.record(segment: 3, at: clock.at(16))
        estimator.delivered(segment: 3, at: clock.at(17))
        #expect(estimator.position(at: clock.at(18)) == position(11, segment: 2, furthest: 3, playing: true))
        // Nor does a delivery of a segment never asked for in this run, or an old one.
        estimator.delivered(segment: 9, at: clock.at(19))
        estimator.delivered(segment: 1, at: clock.at(19))
        #expect(estimator.position(at: clock.at(30)) == position(16, segment: 3, furthest: 3, playing: true))
    }

    @Test func aPlayerBufferingAheadDoesNotMoveThePositionFaster() {
        var estimator = PlaybackEstimator(index: index)
        // Eight segments (32 s of video) fetched in the first 1.75 s.
        for segment in 0..<8 {
            let kind = estimator.record(segment: segment, at: clock.at(Double(segment) * 0.25))
            #expect(kind == (segment == 0 ? .start : .continuation))
        }
        #expect(estimator.position(at: clock.at(2)) == position(2, segment: 0, furthest: 7))
        #expect(estimator.position(at: clock.at(10)) == position(10, segment: 2, furthest: 7))
        #expect(estimator.furthestRequestedSegment == 7)
    }

    @Test func thePositionStopsAtTheEndOfTheFurthestRequestedSegment() {
        var estimator = PlaybackEstimator(index: index)
        estimator.record(segment: 0, at: clock.at(0))
        estimator.record(segment: 1, at: clock.at(0.5))
        // The player cannot have played past 8 s; it is waiting for segment 1, not for segment 2.
        #expect(estimator.position(at: clock.at(20)) == position(8, segment: 1, furthest: 1))
    }

    @Test func timeSpentStalledIsNotCountedAsPlayed() {
        var estimator = PlaybackEstimator(index: index)
        estimator.record(segment: 0, at: clock.at(0))
        estimator.record(segment: 1, at: clock.at(0.5))
        // Stalled at 8 s from 8 s to 20 s; the next request resumes the run from there.
        #expect(estimator.record(segment: 2, at: clock.at(20)) == .continuation)
        #expect(estimator.position(at: clock.at(20)) == position(8, segment: 2, furthest: 2))
        #expect(estimator.position(at: clock.at(23)) == position(11, segment: 2, furthest: 2))
    }

    @Test func aJumpFarAheadIsASeek() {
        var estimator = PlaybackEstimator(index: index)
        estimator.record(segment: 0, at: clock.at(0))
        estimator.record(segment: 1, at: clock.at(0.5))
        // Segment 15 starts at 60 s, 55 s ahead of the estimate of 5 s.
        let kind = estimator.record(segment: 15, at: clock.at(5))
        #expect(kind == .seek)
        #expect(kind.isSeek)
        #expect(estimator.position(at: clock.at(5)) == position(60, segment: 15, furthest: 15))
        #expect(estimator.position(at: clock.at(7)) == position(62, segment: 15, furthest: 15))
        #expect(estimator.record(segment: 16, at: clock.at(7)) == .continuation)
    }

    @Test func aSkipWithinTheThresholdIsNotASeek() {
        var estimator = PlaybackEstimator(index: index)
        estimator.record(segment: 0, at: clock.at(0))
        estimator.record(segment: 1, at: clock.at(1))
        // Segment 11 starts at 44 s: 39 s ahead of the estimate of 5 s, within 45 s.
        let kind = estimator.record(segment: 11, at: clock.at(5))
        #expect(kind == .continuation)
        #expect(!kind.isSeek)
        #expect(estimator.position(at: clock.at(5)) == position(5, segment: 1, furthest: 11))
        #expect(estimator.position(at: clock.at(9)) == position(9, segment: 2, furthest: 11))
    }

    @Test func thresholdIsASetting() {
        var estimator = PlaybackEstimator(index: index, settings: StreamingSettings(seekThreshold: .seconds(30)))
        estimator.record(segment: 0, at: clock.at(0))
        estimator.record(segment: 1, at: clock.at(1))
        #expect(estimator.record(segment: 11, at: clock.at(5)) == .seek)
    }

    @Test func readingSequentiallyFarAheadIsNeverASeek() {
        var estimator = PlaybackEstimator(index: index)
        // A player filling a large buffer: all 80 s requested in 2 s.
        for segment in 0..<20 {
            let kind = estimator.record(segment: segment, at: clock.at(Double(segment) * 0.1))
            #expect(kind == (segment == 0 ? .start : .continuation))
        }
        #expect(estimator.position(at: clock.at(30)) == position(30, segment: 7, furthest: 19))
    }

    @Test func aJumpBackIsASeek() {
        var estimator = PlaybackEstimator(index: index)
        for segment in 0...10 { estimator.record(segment: segment, at: clock.at(Double(segment * 4))) }
        #expect(estimator.position(at: clock.at(41)) == position(41, segment: 10, furthest: 10))
        #expect(estimator.record(segment: 3, at: clock.at(41)) == .seek)
        #expect(estimator.position(at: clock.at(41)) == position(12, segment: 3, furthest: 3))
        #expect(estimator.position(at: clock.at(43.5)) == position(14.5, segment: 3, furthest: 3))
        #expect(estimator.lastRequestedSegment == 3)
    }

    @Test func oneSegmentBackIsNotASeek() {
        var estimator = PlaybackEstimator(index: index)
        for segment in 0...10 { estimator.record(segment: segment, at: clock.at(Double(segment * 4))) }
        // The player asks again for the segment before the playing one (a retry, or a small seek back).
        #expect(estimator.record(segment: 9, at: clock.at(41)) == .continuation)
        #expect(estimator.position(at: clock.at(42)) == position(42, segment: 10, furthest: 10))
        #expect(estimator.lastRequestedSegment == 9)
        #expect(estimator.furthestRequestedSegment == 10)
    }

    @Test func twoSegmentsBackIsASeek() {
        var estimator = PlaybackEstimator(index: index)
        for segment in 0...10 { estimator.record(segment: segment, at: clock.at(Double(segment * 4))) }
        #expect(estimator.record(segment: 8, at: clock.at(41)) == .seek)
        #expect(estimator.position(at: clock.at(42)) == position(33, segment: 8, furthest: 8))
    }

    @Test func theFirstRequestMayStartAnywhere() {
        var estimator = PlaybackEstimator(index: index)
        #expect(estimator.record(segment: 12, at: clock.at(3)) == .start)
        #expect(estimator.position(at: clock.at(4)) == position(49, segment: 12, furthest: 12))
        // The clock read before the request: no time has passed yet.
        #expect(estimator.position(at: clock.at(2)) == position(48, segment: 12, furthest: 12))
    }
}
