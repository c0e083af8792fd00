import Testing

@testable import HLS

@Suite("Media playlists")
struct MediaPlaylistTests {
    static let example = MediaPlaylist.video(
        segments: [
            MediaSegment(duration: 4, uri: "segment-00000.m4s"),
            MediaSegment(duration: 4.2, uri: "segment-00001.m4s"),
            MediaSegment(duration: 1.5, uri: "segment-00002.m4s"),
        ],
        mapURI: "init.mp4")

    @Test func rendersExactText() {
        let expected = """
            #EXTM3U
            #EXT-X-VERSION:7
            #EXT-X-TARGETDURATION:5
            #EXT-X-MEDIA-SEQUENCE:0
            #EXT-X-PLAYLIST-TYPE:VOD
            #EXT-X-INDEPENDENT-SEGMENTS
            #EXT-X-MAP:URI="init.mp4"
            #EXTINF:4.000000,
            segment-00000.m4s
            #EXTINF:4.200000,
            segment-00001.m4s
            #EXTINF:1.500000,
            segment-00002.m4s
            #EXT-X-ENDLIST

            """
        #expect(Self.example.render() == expected)
    }

    @Test func videoFillsThePlaylistWideFields() {
        let playlist = Self.example
        #expect(playlist.version == 7)
        #expect(playlist.playlistType == .vod)
        #expect(playlist.independentSegments)
        #expect(playlist.endList)
        #expect(playlist.mediaSequence == 0)
        #expect(playlist.map == MediaInitializationSection(uri: "init.mp4"))
        #expect(playlist.targetDuration == 5)
    }

    @Test func rendersOptionalPartsOnlyWhenSet() {
        let playlist = MediaPlaylist(
            version: 3, targetDuration: 10, mediaSequence: 42, playlistType: .event,
            map: MediaInitializationSection(uri: "init.mp4", byteRange: ByteRange(length: 720, offset: 0)),
            segments: [MediaSegment(duration: 9.97, uri: "a.ts", title: "Opening, part 1")])
        #expect(
            playlist.render() == """
                #EXTM3U
                #EXT-X-VERSION:3
                #EXT-X-TARGETDURATION:10
                #EXT-X-MEDIA-SEQUENCE:42
                #EXT-X-PLAYLIST-TYPE:EVENT
                #EXT-X-MAP:URI="init.mp4",BYTERANGE="720@0"
                #EXTINF:9.970000,Opening, part 1
                a.ts

                """)
    }

    @Test func renderingIsDeterministic() {
        #expect(Self.example.render() == Self.example.render())
        #expect(Self.example.render().hasSuffix("#EXT-X-ENDLIST\n"))
        #expect(!Self.example.render().contains("\r"))
    }

    @Test func roundTrips() throws {
        let playlists = [
            Self.example,
            MediaPlaylist(
                version: 7, targetDuration: 2, mediaSequence: 7, playlistType: .event, independentSegments: false,
                map: MediaInitializationSection(uri: "../init 1.mp4", byteRange: ByteRange(length: 1000)),
                segments: [
                    MediaSegment(duration: 0.033367, uri: "s/1.m4s?token=a,b", title: "tîtle, with comma"),
                    MediaSegment(duration: 2, uri: "https://example.com/2.m4s"),
                ], endList: false),
            MediaPlaylist(targetDuration: 6),
        ]
        for playlist in playlists {
            let text = playlist.render()
            #expect(try MediaPlaylist(parsing: text) == playlist)
            #expect(try MediaPlaylist(parsing: Array(text.utf8)) == playlist)
            #expect(PlaylistRules.violations(in: text).isEmpty)
        }
    }

    @Test func parsesCRLFBlankLinesCommentsAndUnknownTags() throws {
        let text =
            "#EXTM3U\r\n#EXT-X-VERSION:7\r\n\r\n# a comment, not a tag\r\n#EXT-X-TARGETDURATION:6\r\n"
            + "#EXT-X-PROGRAM-DATE-TIME:2024-01-01T00:00:00Z\r\n#EXT-X-SHOAL-UNKNOWN:1\r\n"
            + "#EXT-X-MAP:URI=\"init.mp4\"\r\n#EXTINF:5.5,first\r\n  \r\nvideo/seg 1.m4s\r\n"
            + "#EXTINF:6\r\n../seg2.m4s\r\n"
            + "#EXT-X-ENDLIST  \r\n"
        let playlist = try MediaPlaylist(parsing: text)
        #expect(playlist.version == 7)
        #expect(playlist.targetDuration == 6)
        #expect(playlist.mediaSequence == 0)
        #expect(playlist.playlistType == nil)
        #expect(!playlist.independentSegments)
        #expect(playlist.map?.uri == "init.mp4")
        #expect(
            playlist.segments == [
                MediaSegment(duration: 5.5, uri: "video/seg 1.m4s", title: "first"),
                MediaSegment(duration: 6, uri: "../seg2.m4s"),
            ])
        #expect(playlist.endList)
    }

    @Test func versionDefaultsToOne() throws {
        let playlist = try MediaPlaylist(parsing: "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\na.ts\n")
        #expect(playlist.version == 1)
        #expect(playlist.segments == [MediaSegment(duration: 4, uri: "a.ts")])
        #expect(!playlist.endList)
    }

    @Test func fileWithoutFinalNewline() throws {
        let playlist = try MediaPlaylist(parsing: "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\na.ts")
        #expect(playlist.segments.map(\.uri) == ["a.ts"])
    }

    static let targetDurations: [([Double], Int)] = [
        ([3.9, 4.2], 5),
        ([4.0000000001], 4),
        ([4.000001], 4),
        ([4.000002], 5),
        ([4.0], 4),
        ([3.999999], 4),
        ([0.5, 0.25], 1),
        ([], 1),
        ([10, 2, 9.5], 10),
        ([59.94], 60),
    ]

    @Test(arguments: targetDurations)
    func targetDurationRoundsTheLongestUp(durations: [Double], expected: Int) {
        let segments = durations.enumerated().map { MediaSegment(duration: $0.element, uri: "\($0.offset).m4s") }
        #expect(MediaPlaylist.targetDuration(for: segments) == expected)
        #expect(MediaPlaylist.video(segments: segments, mapURI: "init.mp4").targetDuration == expected)
    }

    @Test func videoPlaylistsAlwaysPassTheRules() throws {
        // Durations just around whole and half seconds, where rounding mistakes would show.
        let durations = [4.0000004, 4.4999996, 4.5, 4.5000001, 0.9999999, 3.0000015, 1.0 / 3.0, 2.002]
        for duration in durations {
            let playlist = MediaPlaylist.video(
                segments: [MediaSegment(duration: duration, uri: "a.m4s"), MediaSegment(duration: 1, uri: "b.m4s")],
                mapURI: "init.mp4")
            let text = playlist.render()
            #expect(PlaylistRules.violations(in: text) == [], "duration \(duration)")
            #expect(try MediaPlaylist(parsing: text).targetDuration == playlist.targetDuration)
        }
    }

    @Test func renderedDurationsHaveSixDecimals() {
        let playlist = MediaPlaylist(
            targetDuration: 1235,
            segments: [
                MediaSegment(duration: 0.033367, uri: "a"), MediaSegment(duration: 10, uri: "b"),
                MediaSegment(duration: 1234.5, uri: "c"),
            ])
        let infLines = playlist.render().split(separator: "\n").filter { $0.hasPrefix("#EXTINF") }
        #expect(infLines == ["#EXTINF:0.033367,", "#EXTINF:10.000000,", "#EXTINF:1234.500000,"])
    }

    @Test func aSecondMapIsRefusedRatherThanDropped() {
        let text = """
            #EXTM3U
            #EXT-X-VERSION:7
            #EXT-X-TARGETDURATION:4
            #EXTINF:4,
            1.m4s
            #EXT-X-MAP:URI="b.mp4"
            #EXTINF:4,
            2.m4s
            """
        #expect(throws: PlaylistError.unsupported(line: 6, feature: "#EXT-X-MAP after the first segment")) {
            try MediaPlaylist(parsing: text)
        }
        let twoMaps = "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:4\n#EXT-X-MAP:URI=\"a\"\n#EXT-X-MAP:URI=\"b\"\n"
        #expect(throws: PlaylistError.unsupported(line: 5, feature: "a second #EXT-X-MAP")) {
            try MediaPlaylist(parsing: twoMaps)
        }
    }

    @Test func aMasterPlaylistIsNotAMediaPlaylist() {
        let master = MasterPlaylist(variants: [VariantStream(uri: "v.m3u8", bandwidth: 1000)]).render()
        #expect(throws: PlaylistError.wrongKind(line: 4, tag: "EXT-X-STREAM-INF", found: .master)) {
            try MediaPlaylist(parsing: master)
        }
        #expect(
            PlaylistError.wrongKind(line: 4, tag: "EXT-X-STREAM-INF", found: .master).description
                == "line 4: #EXT-X-STREAM-INF makes this a master playlist, not a media playlist")
    }

    @Test func aPlaylistWithoutKindTagsNeedsATargetDurationAsMedia() {
        #expect(throws: PlaylistError.missingTargetDuration) {
            try MediaPlaylist(parsing: "#EXTM3U\n#EXT-X-VERSION:7\n")
        }
    }
}
