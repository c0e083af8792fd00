import HLS
import Streaming
import Testing
import TorrentModel

@Suite struct VideoTorrentIndexTests {
    @Test func filesHaveTheirBytesAndPiecesAndPadsAreLeftOut() throws {
        let index = try VideoTorrentFixture.standard.index()
        #expect(index.pieceCount == 41)
        #expect(index.files.count == 23)
        #expect(index.file(atPath: "master.m3u8") == VideoFile(path: "master.m3u8", byteRange: 0..<200, pieces: 0..<1))
        #expect(index.file(atPath: "media.m3u8") == VideoFile(path: "media.m3u8", byteRange: 200..<700, pieces: 0..<1))
        #expect(index.file(atPath: "init.mp4") == VideoFile(path: "init.mp4", byteRange: 700..<1_700, pieces: 0..<1))
        // Segment 3 starts at piece 7 (after the head piece and three segments of two pieces).
        #expect(
            index.file(atPath: "segment-00003.m4s")
                == VideoFile(path: "segment-00003.m4s", byteRange: 114_688..<144_688, pieces: 7..<9))
        #expect(index.file(atPath: ".pad/14684") == nil)
        #expect(index.file(atPath: "missing.m4s") == nil)
        #expect(index.initSectionPath == "init.mp4")
        #expect(index.headPieces == [0])
    }

    @Test func segmentsHaveTimesAndPieces() throws {
        let index = try VideoTorrentFixture.standard.index()
        #expect(index.segments.count == 20)
        let segment = try #require(index.segment(uri: "segment-00003.m4s"))
        #expect(
            segment
                == VideoSegment(
                    index: 3, uri: "segment-00003.m4s", path: "segment-00003.m4s", start: .seconds(12),
                    duration: .seconds(4), byteRange: 114_688..<144_688, pieces: 7..<9))
        #expect(segment.end == .seconds(16))
        #expect(index.segment(atPath: "segment-00019.m4s")?.pieces == 39..<41)
        #expect(index.segment(uri: "init.mp4") == nil)
        #expect(index.duration == .seconds(80))
    }

    @Test func startTimesAreExactSumsOfTheDurations() throws {
        // 0.1 s does not add up exactly in Double; microseconds do.
        let fixture = VideoTorrentFixture(
            segmentLengths: Array(repeating: 1_000, count: 12),
            durations: Array(repeating: 0.1, count: 10) + [4.2, 1.5])
        let index = try fixture.index()
        #expect(index.segments.map(\.start).prefix(3) == [.zero, .milliseconds(100), .milliseconds(200)])
        #expect(index.segments[10].start == .seconds(1))
        #expect(index.segments[11].start == .milliseconds(5_200))
        #expect(index.duration == .milliseconds(6_700))
    }

    @Test func segmentContainingATime() throws {
        let index = try VideoTorrentFixture.standard.index()
        #expect(index.segment(containing: .zero)?.index == 0)
        #expect(index.segment(containing: .milliseconds(3_999))?.index == 0)
        #expect(index.segment(containing: .seconds(4))?.index == 1)
        #expect(index.segment(containing: .milliseconds(45_500))?.index == 11)
        #expect(index.segment(containing: .milliseconds(79_999))?.index == 19)
        #expect(index.segment(containing: .seconds(80)) == nil)
        #expect(index.segment(containing: .seconds(-1)) == nil)
    }

    @Test func aZeroLengthSegmentContainsNoTime() throws {
        let fixture = VideoTorrentFixture(segmentLengths: [1_000, 1_000, 1_000], durations: [4, 0, 4])
        let index = try fixture.index()
        #expect(index.segment(containing: .seconds(4))?.index == 2)
        #expect(index.segment(containing: .milliseconds(3_999))?.index == 0)
    }

    @Test func headCoversPlaylistsAndAnInitSegmentSpanningPieces() throws {
        // A 40,000-byte init segment: the head group is pieces 0...2, the first segment starts at piece 3.
        let fixture = VideoTorrentFixture(
            headLengths: [200, 500, 40_000], segmentLengths: [30_000, 30_000], durations: [4, 4])
        let index = try fixture.index()
        #expect(index.headPieces == [0, 1, 2])
        #expect(index.segments.map(\.pieces) == [3..<5, 5..<7])
        #expect(VideoTorrentIndex.playlistPieces(files: fixture.files, pieceLength: 16_384) == [0])
    }

    @Test func playlistPiecesAreTheM3U8Files() {
        let fixture = VideoTorrentFixture(
            headLengths: [200, 20_000, 1_000], segmentLengths: [30_000], durations: [4])
        #expect(VideoTorrentIndex.playlistPieces(files: fixture.files, pieceLength: 16_384) == [0, 1])
    }

    @Test func withoutPadFilesNeighbouringSegmentsSharePieces() throws {
        let fixture = VideoTorrentFixture(
            segmentLengths: [10_000, 10_000, 10_000], durations: [4, 4, 4], pad: false)
        let index = try fixture.index()
        // Head 0..<1,700; segments at 1,700, 11,700 and 21,700.
        #expect(index.segments.map(\.pieces) == [0..<1, 0..<2, 1..<2])
        #expect(index.headPieces == [0])
    }

    @Test func theMetainfoGivesTheSameIndexAsPlainValues() throws {
        let fixture = VideoTorrentFixture.standard
        let fromMetainfo = try VideoTorrentIndex(metainfo: fixture.metainfo(), playlist: fixture.playlist)
        #expect(fromMetainfo == (try fixture.index()))
    }

    @Test func urisAreResolvedAgainstThePlaylistsFolder() throws {
        var fixture = VideoTorrentFixture(segmentLengths: [1_000, 1_000], durations: [4, 4])
        fixture.files = fixture.files.map { file in
            var file = file
            if !file.isPadding && file.path != ["master.m3u8"] { file.path = ["hls"] + file.path }
            return file
        }
        let index = try VideoTorrentIndex(
            files: fixture.files, pieceLength: 16_384, playlist: fixture.playlist, playlistPath: "hls/media.m3u8")
        #expect(index.segment(uri: "segment-00001.m4s")?.path == "hls/segment-00001.m4s")
        #expect(index.segment(atPath: "hls/segment-00001.m4s")?.index == 1)
        #expect(index.initSectionPath == "hls/init.mp4")
    }

    // MARK: Refusals

    @Test(arguments: [
        ("/segment-00000.m4s", "it is absolute"),
        ("http://example.com/segment-00000.m4s", "it is absolute"),
        ("file:segment-00000.m4s", "it is absolute"),
        ("../segment-00000.m4s", "it leaves its folder ('..')"),
        ("hls/../segment-00000.m4s", "it leaves its folder ('..')"),
        ("./segment-00000.m4s", "it is not a plain relative path"),
        ("hls//segment-00000.m4s", "it is not a plain relative path"),
        ("segment-00000.m4s?token=1", "it has a query or fragment"),
        ("", "it is empty"),
    ])
    func unsafeSegmentURIsAreRefused(uri: String, reason: String) throws {
        var playlist = VideoTorrentFixture.standard.playlist
        playlist.segments[0].uri = uri
        #expect(throws: VideoTorrentIndexError.unsafeURI(uri, reason: reason)) {
            try VideoTorrentFixture.standard.index(playlist: playlist)
        }
    }

    @Test func uriNamingNoFileIsRefused() throws {
        var playlist = VideoTorrentFixture.standard.playlist
        playlist.segments[4].uri = "segment-00099.m4s"
        let error = #expect(throws: VideoTorrentIndexError.self) {
            try VideoTorrentFixture.standard.index(playlist: playlist)
        }
        #expect(error == .notInTorrent(uri: "segment-00099.m4s", path: "segment-00099.m4s"))
        #expect(
            error?.description
                == "the playlist URI 'segment-00099.m4s' names 'segment-00099.m4s', which is not a file of the torrent")
    }

    @Test func padFilesAreNotFiles() {
        var playlist = VideoTorrentFixture.standard.playlist
        playlist.segments[1].uri = ".pad/14684"
        #expect(throws: VideoTorrentIndexError.notInTorrent(uri: ".pad/14684", path: ".pad/14684")) {
            try VideoTorrentFixture.standard.index(playlist: playlist)
        }
    }

    @Test func initSectionMustBeAFileOfTheTorrent() {
        var playlist = VideoTorrentFixture.standard.playlist
        playlist.map = MediaInitializationSection(uri: "https://cdn.example/init.mp4")
        #expect(throws: VideoTorrentIndexError.unsafeURI("https://cdn.example/init.mp4", reason: "it is absolute")) {
            try VideoTorrentFixture.standard.index(playlist: playlist)
        }
    }

    @Test func aFileNamedTwiceIsRefused() {
        var playlist = VideoTorrentFixture.standard.playlist
        playlist.segments[5].uri = "segment-00004.m4s"
        #expect(throws: VideoTorrentIndexError.duplicateFile(uri: "segment-00004.m4s")) {
            try VideoTorrentFixture.standard.index(playlist: playlist)
        }
        playlist = VideoTorrentFixture.standard.playlist
        playlist.segments[0].uri = "init.mp4"
        #expect(throws: VideoTorrentIndexError.duplicateFile(uri: "init.mp4")) {
            try VideoTorrentFixture.standard.index(playlist: playlist)
        }
    }

    @Test(arguments: [-1.0, Double.nan, Double.infinity, 1e12])
    func invalidDurationsAreRefused(seconds: Double) {
        var playlist = VideoTorrentFixture.standard.playlist
        playlist.segments[2].duration = seconds
        let error = #expect(throws: VideoTorrentIndexError.self) {
            try VideoTorrentFixture.standard.index(playlist: playlist)
        }
        guard case .invalidDuration(let uri, _) = error else {
            Issue.record("expected invalidDuration, got \(String(describing: error))")
            return
        }
        #expect(uri == "segment-00002.m4s")
    }

    @Test func playlistMustBeInTheTorrentAndHaveSegments() {
        let fixture = VideoTorrentFixture.standard
        #expect(throws: VideoTorrentIndexError.playlistNotInTorrent("video.m3u8")) {
            try VideoTorrentIndex(
                files: fixture.files, pieceLength: 16_384, playlist: fixture.playlist, playlistPath: "video.m3u8")
        }
        var empty = fixture.playlist
        empty.segments = []
        #expect(throws: VideoTorrentIndexError.noSegments) { try fixture.index(playlist: empty) }
    }
}
