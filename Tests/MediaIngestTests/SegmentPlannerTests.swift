import Testing

@testable import MediaIngest

struct SegmentPlannerTests {
    @Test func keyFramesEveryTwoSecondsGiveFourSecondSegments() {
        let keyFrames = stride(from: 0.0, to: 20, by: 2).map { $0 }
        #expect(SegmentPlanner.cuts(keyFrames: keyFrames, start: 0, end: 20, target: 4) == [4, 8, 12, 16])
    }

    @Test func theNearestKeyFrameToTheTargetWins() {
        // From 0: 3.5 is 0.5 short of 4, 5.5 is 1.5 past it, so the cut is at 3.5; from 3.5 the target is 7.5.
        #expect(SegmentPlanner.cuts(keyFrames: [0, 3.5, 5.5, 7.4, 9], start: 0, end: 10, target: 4) == [3.5, 7.4])
        // 2.5 is 1.5 short, 4.2 only 0.2 past: 4.2.
        #expect(SegmentPlanner.cuts(keyFrames: [0, 2.5, 4.2, 8.1], start: 0, end: 10, target: 4) == [4.2, 8.1])
    }

    @Test func noSegmentIsShorterThanHalfTheTarget() {
        // 1.0 is too short to end a segment even though 6.5 is far past the target.
        #expect(SegmentPlanner.cuts(keyFrames: [0, 1, 6.5, 12], start: 0, end: 14, target: 4) == [6.5, 12])
    }

    @Test func aShortLastSegmentJoinsThePreviousOne() {
        #expect(SegmentPlanner.cuts(keyFrames: [0, 4, 8], start: 0, end: 8.5, target: 4) == [4])
        #expect(SegmentPlanner.cuts(keyFrames: [0, 4, 8], start: 0, end: 9.5, target: 4) == [4, 8])
    }

    @Test func timestampNoiseDoesNotMoveACut() {
        #expect(
            SegmentPlanner.cuts(
                keyFrames: [0.021, 2.021, 4.0209999, 6.021, 8.021], start: 0.021, end: 10.021, target: 4)
                == [4.0209999, 8.021])
    }

    @Test func regularCutsForReencodedVideo() {
        #expect(SegmentPlanner.regularCuts(start: 1.5, end: 13.5, target: 4) == [5.5, 9.5])
        #expect(SegmentPlanner.regularCuts(start: 0, end: 10, target: 4) == [4, 8])
        #expect(SegmentPlanner.regularCuts(start: 0, end: 3, target: 4) == [])
    }

    @Test func theLongestKeyFrameGapCountsTheTail() {
        #expect(SegmentPlanner.longestKeyFrameGap(keyFrames: [0, 10, 20], end: 25) == 10)
        #expect(SegmentPlanner.longestKeyFrameGap(keyFrames: [0, 2, 4], end: 16) == 12)
        #expect(SegmentPlanner.longestKeyFrameGap(keyFrames: [], end: 7) == 7)
    }
}

struct IngestPlanTests {
    let h264 = StreamInfo(
        index: 0, kind: .video, codec: "h264", profile: 100, width: 640, height: 360, pixelFormat: "yuv420p")
    let aac = StreamInfo(index: 1, kind: .audio, codec: "aac", sampleRate: 48000, channels: 2)

    @Test func playableStreamsWithShortGroupsOfPicturesAreCopied() throws {
        let plan = try IngestPlan.make(
            selection: StreamSelection(video: h264, audio: aac), keyFrames: [0, 2, 4, 6], end: 8, segmentDuration: 4,
            mode: .auto)
        #expect(plan.video.isCopied)
        #expect(plan.audio?.isCopied == true)
    }

    @Test func unplayableCodecsAreReencodedAndNeverRefusesThem() throws {
        var mpeg2 = h264
        mpeg2.codec = "mpeg2video"
        var mp2 = aac
        mp2.codec = "mp2"
        let selection = StreamSelection(video: mpeg2, audio: mp2)
        let plan = try IngestPlan.make(
            selection: selection, keyFrames: [0, 1], end: 2, segmentDuration: 4, mode: .auto)
        #expect(!plan.video.isCopied)
        #expect(!(plan.audio?.isCopied ?? true))
        #expect(throws: IngestError.self) {
            try IngestPlan.make(selection: selection, keyFrames: [0, 1], end: 2, segmentDuration: 4, mode: .never)
        }
    }

    @Test func highBitDepthAndLongGroupsOfPicturesAreReencoded() throws {
        var tenBit = h264
        tenBit.pixelFormat = "yuv420p10le"
        #expect(StreamPlan.playability(of: tenBit) != nil)
        let plan = try IngestPlan.make(
            selection: StreamSelection(video: h264, audio: nil), keyFrames: [0, 10, 20], end: 25, segmentDuration: 4,
            mode: .auto)
        #expect(
            plan.video.action
                == .transcode(reason: "key frames up to 10 s apart, more than twice the 4 s segment duration"))
    }

    @Test func alwaysReencodesEverything() throws {
        let plan = try IngestPlan.make(
            selection: StreamSelection(video: h264, audio: aac), keyFrames: [0, 2], end: 4, segmentDuration: 4,
            mode: .always)
        #expect(!plan.video.isCopied && plan.audio?.isCopied == false)
    }

    @Test func streamSelectionPrefersTheDefaultThenTheLargestVideo() throws {
        let cover = StreamInfo(
            index: 0, kind: .video, codec: "mjpeg", width: 1000, height: 1000, isAttachedPicture: true)
        let small = StreamInfo(index: 1, kind: .video, codec: "h264", width: 320, height: 180)
        let large = StreamInfo(index: 2, kind: .video, codec: "h264", width: 1280, height: 720)
        let english = StreamInfo(index: 3, kind: .audio, codec: "aac")
        let commentary = StreamInfo(index: 4, kind: .audio, codec: "aac", isDefault: true)
        let chosen = try StreamSelection.choose(from: [cover, small, large, english, commentary])
        #expect(chosen.video.index == 2)
        #expect(chosen.audio?.index == 4)
        #expect(
            try StreamSelection.choose(from: [cover, small, large, english, commentary], audioTrack: 0).audio?.index
                == 3)
        #expect(throws: StreamSelection.Failure.noVideoStream) { try StreamSelection.choose(from: [cover, english]) }
        #expect(throws: StreamSelection.Failure.noSuchAudioTrack(5, available: 2)) {
            try StreamSelection.choose(from: [small, english, commentary], audioTrack: 5)
        }
    }
}

struct FastStartTests {
    let fastStart = SegmentTimeline(target: 4, fastStart: true)

    @Test func theFirstTwoSegmentsAreHalfTheTarget() {
        #expect(fastStart.startup == [2, 2])
        #expect((0...5).map { fastStart.boundary($0) } == [0, 2, 4, 8, 12, 16])
        #expect((0...4).map { fastStart.target(ofSegment: $0) } == [2, 2, 4, 4, 4])
        // Below a second there is no startup segment.
        #expect(SegmentTimeline(target: 2, fastStart: true).startup == [1, 1])
        #expect(SegmentTimeline(target: 1, fastStart: true).startup == [])
        #expect(SegmentTimeline(target: 4).startup == [])
    }

    @Test func theNextBoundaryAfterAnOffset() {
        let offsets: [Double] = [0, 0.5, 1, 2.9, 3, 6.99, 7, 12, 100]
        #expect(offsets.map { fastStart.nextBoundaryIndex(after: $0) } == [1, 1, 1, 2, 2, 3, 3, 5, 27])
        for offset in stride(from: 0.0, to: 60, by: 0.25) {
            let next = fastStart.nextBoundaryIndex(after: offset)
            #expect(fastStart.boundary(next) > offset && fastStart.boundary(next - 1) <= offset)
        }
        #expect(SegmentTimeline(target: 4).nextBoundaryIndex(after: 9) == 3)
    }

    @Test func copiedVideoCutsTheFirstSegmentsShortWhereKeyFramesAllow() {
        let everyTwoSeconds = stride(from: 0.0, to: 20, by: 2).map { $0 }
        let fromTwoSecondGroups = SegmentPlanner.cuts(
            keyFrames: everyTwoSeconds, start: 0, end: 20, timeline: fastStart)
        #expect(fromTwoSecondGroups == [2, 4, 8, 12, 16])
        let everySecond = stride(from: 0.0, to: 12, by: 1).map { $0 }
        #expect(SegmentPlanner.cuts(keyFrames: everySecond, start: 0, end: 12, timeline: fastStart) == [2, 4, 8])
        // Key frames every 10 s: nothing to cut early, the segments are what the key frames give.
        #expect(SegmentPlanner.cuts(keyFrames: [0, 10, 20], start: 0, end: 30, timeline: fastStart) == [10, 20])
    }

    @Test func reencodedVideoCutsAtTheTimelineBoundaries() {
        #expect(SegmentPlanner.regularCuts(start: 0.5, end: 16, timeline: fastStart) == [2.5, 4.5, 8.5, 12.5])
        #expect(SegmentPlanner.regularCuts(start: 0, end: 1.1, timeline: fastStart) == [])
    }
}
