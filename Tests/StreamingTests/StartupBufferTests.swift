import Streaming
import Testing

/// Twenty 4-second segments (`VideoTorrentFixture.standard`: segment i is pieces 2i+1 and 2i+2).
@Suite struct StartupBufferTests {
    let clock = SimulatedClock()
    let index: VideoTorrentIndex

    init() throws { index = try VideoTorrentFixture.standard.index() }

    private func hold(
        _ segment: Int, starting: Int?, settings: StreamingSettings = .standard
    ) -> StartupBuffer? {
        StartupBuffer(
            segment: index.segments[segment], index: index, startingSegment: starting, runBegan: clock.at(10),
            settings: settings)
    }

    @Test func aRunsFirstSegmentWaitsForTheNextOneAtMostTheBufferAfterTheRunBegan() throws {
        let first = try #require(hold(0, starting: 0))
        #expect(first.pieces == 3..<5)
        #expect(first.until == clock.at(10) + StreamingSettings.standard.startupBuffer)
        // After a seek, the run's first segment is wherever the player jumped to.
        let afterSeek = try #require(hold(12, starting: 12))
        #expect(afterSeek.pieces == index.segments[13].pieces)
    }

    @Test func segmentsWhilePlayingAndTheLastSegmentAreNotHeld() {
        #expect(hold(1, starting: nil) == nil)
        #expect(hold(0, starting: nil) == nil)
        // A player fetching ahead before its first segment arrived: only the first one waits.
        #expect(hold(1, starting: 0) == nil)
        #expect(hold(19, starting: 19) == nil)
    }

    @Test func thePlainModesAndAZeroBufferHoldNothing() {
        var settings = StreamingSettings.standard
        settings.startupBuffer = .zero
        #expect(hold(0, starting: 0, settings: settings) == nil)
        for mode in [StreamingMode.rarestFirst, .sequential] {
            settings = .standard
            settings.mode = mode
            #expect(hold(0, starting: 0, settings: settings) == nil)
        }
    }
}
