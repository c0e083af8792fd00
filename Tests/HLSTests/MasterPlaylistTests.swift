import Testing

@testable import HLS

@Suite("Master playlists")
struct MasterPlaylistTests {
    static let example = MasterPlaylist(variants: [
        VariantStream(
            uri: "video.m3u8", bandwidth: 1_280_000, averageBandwidth: 1_000_000, codecs: ["avc1.64001f", "mp4a.40.2"],
            resolution: Resolution(width: 640, height: 360), frameRate: 30)
    ])

    @Test func rendersExactText() {
        #expect(
            Self.example.render() == """
                #EXTM3U
                #EXT-X-VERSION:7
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-STREAM-INF:BANDWIDTH=1280000,AVERAGE-BANDWIDTH=1000000,CODECS="avc1.64001f,mp4a.40.2",\
                RESOLUTION=640x360,FRAME-RATE=30.000
                video.m3u8

                """)
    }

    @Test func leavesOutUnsetAttributes() {
        let playlist = MasterPlaylist(
            version: 6, independentSegments: false,
            variants: [
                VariantStream(uri: "low.m3u8", bandwidth: 300_000),
                VariantStream(uri: "high.m3u8", bandwidth: 3_000_000, frameRate: 30000.0 / 1001.0),
            ])
        #expect(
            playlist.render() == """
                #EXTM3U
                #EXT-X-VERSION:6
                #EXT-X-STREAM-INF:BANDWIDTH=300000
                low.m3u8
                #EXT-X-STREAM-INF:BANDWIDTH=3000000,FRAME-RATE=29.970
                high.m3u8

                """)
    }

    @Test func roundTrips() throws {
        let playlists = [
            Self.example,
            MasterPlaylist(
                version: 4, independentSegments: false,
                variants: [
                    VariantStream(uri: "a/low.m3u8", bandwidth: 1, codecs: ["mp4a.40.2"]),
                    VariantStream(
                        uri: "https://example.com/high.m3u8?x=1,2", bandwidth: Int.max, averageBandwidth: 0,
                        resolution: Resolution(width: 3840, height: 2160), frameRate: 23.976),
                ]),
        ]
        for playlist in playlists {
            let text = playlist.render()
            #expect(try MasterPlaylist(parsing: text) == playlist)
            #expect(try MasterPlaylist(parsing: Array(text.utf8)) == playlist)
            #expect(PlaylistRules.violations(in: text).isEmpty)
            #expect(PlaylistRules.violations(in: text, as: .master).isEmpty)
        }
    }

    @Test func parsesForeignMasterPlaylists() throws {
        let text = """
            #EXTM3U
            #EXT-X-VERSION:6
            ## Created by someone else
            #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="English, main",DEFAULT=YES,URI="audio.m3u8"

            #EXT-X-STREAM-INF:CODECS="avc1.4d4028, mp4a.40.2",AUDIO="aud",BANDWIDTH=5000000,RESOLUTION=1920x1080,\
            FRAME-RATE=25,HDCP-LEVEL=NONE
            1080p/index.m3u8
            #EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=100000,URI="iframes.m3u8"
            """
        let playlist = try MasterPlaylist(parsing: text)
        #expect(playlist.version == 6)
        #expect(!playlist.independentSegments)
        #expect(
            playlist.variants == [
                VariantStream(
                    uri: "1080p/index.m3u8", bandwidth: 5_000_000, codecs: ["avc1.4d4028", "mp4a.40.2"],
                    resolution: Resolution(width: 1920, height: 1080), frameRate: 25)
            ])
    }

    @Test func needsAVariant() {
        #expect(throws: PlaylistError.noVariants) { try MasterPlaylist(parsing: "#EXTM3U\n#EXT-X-VERSION:7\n") }
    }

    @Test func aMediaPlaylistIsNotAMasterPlaylist() {
        #expect(throws: PlaylistError.wrongKind(line: 3, tag: "EXT-X-TARGETDURATION", found: .media)) {
            try MasterPlaylist(parsing: MediaPlaylistTests.example.render())
        }
    }

    static let integer = "a decimal integer from 0 to 9223372036854775807"

    /// A bad attribute in the `EXT-X-STREAM-INF` on line 2.
    static func bad(_ attribute: String, _ value: String, _ expected: String) -> PlaylistError {
        .badAttribute(line: 2, tag: "EXT-X-STREAM-INF", attribute: attribute, value: value, expected: expected)
    }

    static let badStreamInfAttributes: [(String, PlaylistError)] = [
        ("BANDWIDTH=abc", bad("BANDWIDTH", "abc", integer)),
        ("BANDWIDTH=\"100\"", bad("BANDWIDTH", "\"100\"", integer)),
        ("BANDWIDTH=-5", bad("BANDWIDTH", "-5", integer)),
        ("BANDWIDTH=1,RESOLUTION=640X360", bad("RESOLUTION", "640X360", "a resolution <width>x<height>")),
        ("BANDWIDTH=1,FRAME-RATE=1e3", bad("FRAME-RATE", "1e3", "a decimal number below 1000000000000")),
        ("BANDWIDTH=1,CODECS=avc1", bad("CODECS", "avc1", "a quoted string")),
        (
            "BANDWIDTH=1,AVERAGE-BANDWIDTH=18446744073709551616",
            bad("AVERAGE-BANDWIDTH", "18446744073709551616", integer)
        ),
        (
            "BANDWIDTH=1,CODECS=\"avc1",
            .badAttributeList(line: 2, tag: "EXT-X-STREAM-INF", .unterminatedQuotedString(name: "CODECS"))
        ),
        ("", .missingValue(line: 2, tag: "EXT-X-STREAM-INF")),
    ]

    @Test(arguments: badStreamInfAttributes)
    func rejectsBadStreamInfAttributes(attributes: String, expected: PlaylistError) {
        let text = "#EXTM3U\n#EXT-X-STREAM-INF:\(attributes)\nv.m3u8\n"
        #expect(throws: expected) { try MasterPlaylist(parsing: text) }
    }
}
