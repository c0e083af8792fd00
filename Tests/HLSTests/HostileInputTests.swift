import TestSupport
import Testing

@testable import HLS

/// Playlists a watcher downloads from peers: whatever they hold must end in a `PlaylistError`, never a trap.
@Suite("Hostile playlists")
struct HostileInputTests {
    @Test func randomBytesAreRejected() {
        var random = SeededRandom(seed: 8216)
        let bytes = random.bytes(count: 1 << 20)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(throws: PlaylistError.self) { try MediaPlaylist(parsing: text) }
        #expect(throws: PlaylistError.self) { try MasterPlaylist(parsing: text) }
        #expect(throws: PlaylistError.self) { try MediaPlaylist(parsing: bytes) }
        #expect(throws: PlaylistError.self) { try MasterPlaylist(parsing: bytes) }
        #expect(!PlaylistRules.violations(in: text).isEmpty)
        #expect(!PlaylistRules.violations(in: bytes).isEmpty)
        // Past the header too.
        #expect(throws: PlaylistError.self) { try MediaPlaylist(parsing: "#EXTM3U\n" + text) }
        #expect(throws: PlaylistError.self) { try MediaPlaylist(parsing: Array("#EXTM3U\n".utf8) + bytes) }
    }

    @Test func hugeNumbersAreRejected() throws {
        #expect(
            throws: PlaylistError.badValue(
                line: 2, tag: "EXT-X-TARGETDURATION", value: "99999999999999999999999",
                expected: "a decimal integer from 0 to 9223372036854775807")
        ) {
            try MediaPlaylist(parsing: "#EXTM3U\n#EXT-X-TARGETDURATION:99999999999999999999999")
        }
        #expect(throws: PlaylistError.self) {
            try MediaPlaylist(parsing: "#EXTM3U\n#EXT-X-TARGETDURATION:5\n#EXTINF:99999999999999999999999.5,\na.ts\n")
        }
        #expect(throws: PlaylistError.self) {
            try MasterPlaylist(parsing: "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=99999999999999999999\nv.m3u8\n")
        }
        #expect(throws: PlaylistError.self) {
            try MasterPlaylist(parsing: "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,RESOLUTION=99999999999999999999x1\nv\n")
        }
        // The largest target duration is fine, and a duration at it renders without trapping.
        let text = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:9223372036854775807\n#EXTINF:999999999999.5,\na\n"
        let playlist = try MediaPlaylist(parsing: text)
        #expect(playlist.render().contains("#EXTINF:999999999999.500000,"))
    }

    @Test func valuesInMessagesAreShortened() throws {
        let long = String(repeating: "9", count: 10_000)
        let error = try #require(PlaylistRules.violations(in: "#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:\(long)\n").first)
        #expect(error.description.count < 200)
    }

    @Test func oversizedInputIsRefusedBeforeReading() {
        let size = PlaylistLimits.maximumBytes + 1
        let text = "#EXTM3U\n" + String(repeating: "#", count: size - 8)
        let expected = PlaylistError.tooLarge(bytes: size, limit: PlaylistLimits.maximumBytes)
        #expect(throws: expected) { try MediaPlaylist(parsing: text) }
        #expect(PlaylistRules.violations(in: text) == [expected])
        #expect(throws: expected) { try MasterPlaylist(parsing: Array(text.utf8)) }
    }

    @Test func longLinesAreRefused() {
        let uri = String(repeating: "a", count: PlaylistLimits.maximumLineBytes + 1)
        let text = "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\n\(uri)\n"
        #expect(
            throws: PlaylistError.lineTooLong(line: 4, bytes: uri.utf8.count, limit: PlaylistLimits.maximumLineBytes)
        ) {
            try MediaPlaylist(parsing: text)
        }
    }

    @Test func invalidUTF8IsRefused() {
        let bytes = Array("#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\na".utf8) + [0xFF, 0xFE] + Array(".ts\n".utf8)
        #expect(throws: PlaylistError.invalidUTF8(line: 4)) { try MediaPlaylist(parsing: bytes) }
    }

    @Test func manyViolationsAreCapped() {
        let text = "#EXTM3U\n#EXT-X-TARGETDURATION:4\n" + String(repeating: "stray.ts\n", count: 200_000)
        let violations = PlaylistRules.violations(in: text)
        #expect(violations.count == PlaylistLimits.maximumViolations)
        #expect(violations.first == .uriWithoutTag(line: 3, tag: "EXTINF"))
    }

    /// Playlists stitched from fragments of valid and invalid lines: each one either parses or throws a
    /// `PlaylistError` (typed throws make any other error impossible; this is about traps).
    @Test func stitchedPlaylistsNeverTrap() throws {
        let fragments = [
            "#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-VERSION:", "#EXT-X-VERSION:-1", "#EXT-X-TARGETDURATION:4",
            "#EXT-X-TARGETDURATION:9223372036854775808", "#EXT-X-MEDIA-SEQUENCE:3", "#EXT-X-PLAYLIST-TYPE:VOD",
            "#EXT-X-PLAYLIST-TYPE:", "#EXT-X-ENDLIST", "#EXT-X-INDEPENDENT-SEGMENTS", "#EXT-X-MAP:URI=\"i.mp4\"",
            "#EXT-X-MAP:URI=\"", "#EXT-X-MAP:URI=\"a\",URI=\"b\"", "#EXT-X-MAP:BYTERANGE=\"1@2@3\",URI=\"x\"",
            "#EXTINF:4.5,", "#EXTINF:,", "#EXTINF:4.5.5", "#EXTINF:999999999999.9,t", "#EXTINF",
            "#EXT-X-BYTERANGE:10@0",
            "#EXT-X-STREAM-INF:BANDWIDTH=1", "#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS=\"a,b\",RESOLUTION=1x1,FRAME-RATE=.",
            "#EXT-X-STREAM-INF:=", "#EXT-X-STREAM-INF:BANDWIDTH=1,,", "#EXT-X-I-FRAMES-ONLY", "#EXT", "#EXT:", "#",
            "", " ", "a.m4s", "ü.m4s", "#EXT-X-DISCONTINUITY", "\r", "#EXTM3U:x", "0x",
        ]
        var random = SeededRandom(seed: 42)
        var parsedMedia = 0
        var parsedMaster = 0
        for _ in 0..<3000 {
            let count = 1 + random.below(14)
            var lines = random.below(4) == 0 ? [] : ["#EXTM3U"]
            for _ in 0..<count { lines.append(fragments[random.below(fragments.count)]) }
            let text = lines.joined(separator: random.below(3) == 0 ? "\r\n" : "\n")
            let violations = PlaylistRules.violations(in: text)
            if let media = try? MediaPlaylist(parsing: text) {
                parsedMedia += 1
                #expect(PlaylistRules.violations(in: text, as: .media) == [])
                _ = media.render()
            }
            if let master = try? MasterPlaylist(parsing: text) {
                parsedMaster += 1
                #expect(violations == [])
                #expect(try MasterPlaylist(parsing: master.render()) == master)
            }
        }
        // The fragments are chosen so both kinds sometimes parse; otherwise this would test little.
        #expect(parsedMedia > 0)
        #expect(parsedMaster > 0)
    }
}
