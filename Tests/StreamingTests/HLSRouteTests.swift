import Streaming
import Testing
import TorrentModel

@Suite("HLS routes")
struct HLSRouteTests {
    static let hex = HTTPTestFixtures.infoHashHex
    static let infoHash = HTTPTestFixtures.infoHash

    // MARK: Accepted paths

    @Test func parsesFileRoutes() throws {
        #expect(try HLSRoute(requestPath: "/v/\(Self.hex)/master.m3u8") == .file(Self.infoHash, path: ["master.m3u8"]))
        #expect(
            try HLSRoute(requestPath: "/v/\(Self.hex)/clip/segment-00003.m4s")
                == .file(Self.infoHash, path: ["clip", "segment-00003.m4s"]))
        // Query and fragment are not part of the path.
        #expect(
            try HLSRoute(requestPath: "/v/\(Self.hex)/media.m3u8?_HLS_msn=3&x=/../y")
                == .file(Self.infoHash, path: ["media.m3u8"]))
        #expect(try HLSRoute(requestPath: "/v/\(Self.hex)/init.mp4#t=10") == .file(Self.infoHash, path: ["init.mp4"]))
    }

    @Test func acceptsTheInfohashInEveryForm() throws {
        let expected = HLSRoute.file(Self.infoHash, path: ["a"])
        #expect(try HLSRoute(requestPath: "/v/\(Self.hex.uppercased())/a") == expected)
        #expect(try HLSRoute(requestPath: "/v/\(Self.infoHash.base32)/a") == expected)
        #expect(try HLSRoute(requestPath: "/v/\(Self.infoHash.base32.lowercased())/a") == expected)
        // Percent-encoded digits are the same digits (RFC 3986 §6.2.2.2).
        #expect(try HLSRoute(requestPath: "/v/%30123456789abcdef0123456789abcdef01234567/a") == expected)
    }

    @Test func parsesPlayerRoutes() throws {
        #expect(try HLSRoute(requestPath: "/watch/\(Self.hex)") == .player(Self.infoHash))
        #expect(try HLSRoute(requestPath: "/watch/\(Self.hex)/") == .player(Self.infoHash))
        #expect(try HLSRoute(requestPath: "/watch/\(Self.infoHash.base32)?autoplay=1") == .player(Self.infoHash))
        #expect(try HLSRoute(requestPath: "/watch/\(Self.hex)").infoHash == Self.infoHash)
    }

    @Test(arguments: [
        ("my%20film.m3u8", "my film.m3u8"),
        ("caf%C3%A9.mp4", "café.mp4"),
        ("caf%c3%a9.mp4", "café.mp4"),
        ("café.mp4", "café.mp4"),
        ("a+b.ts", "a+b.ts"),
        ("100%25.vtt", "100%.vtt"),
        ("%3F%23.mp4", "?#.mp4"),
        ("...", "..."),
        ("..a", "..a"),
        (".hidden", ".hidden"),
        ("%2e%2e%2e", "..."),
        ("%F0%9F%8E%B5", "🎵"),
        ("a:b@c!$&'()*,;=", "a:b@c!$&'()*,;="),
    ])
    func decodesComponents(sent: String, decoded: String) throws {
        #expect(try HLSRoute(requestPath: "/v/\(Self.hex)/\(sent)") == .file(Self.infoHash, path: [decoded]))
    }

    // MARK: Refused paths

    @Test(arguments: [
        ("/v/\(hex)/..", HLSRouteError.dotSegment("..")),
        ("/v/\(hex)/.", .dotSegment(".")),
        ("/v/\(hex)/a/../../etc/passwd", .dotSegment("..")),
        ("/v/\(hex)/%2e%2e/x", .dotSegment("..")),
        ("/v/\(hex)/%2E%2E/x", .dotSegment("..")),
        ("/v/\(hex)/.%2e/x", .dotSegment("..")),
        ("/v/\(hex)/%2e", .dotSegment(".")),
        ("/v/\(hex)/..%2Fetc%2Fpasswd", .encodedSlash("..%2Fetc%2Fpasswd")),
        ("/v/\(hex)/a%2Fb", .encodedSlash("a%2Fb")),
        ("/v/\(hex)/a%2fb", .encodedSlash("a%2fb")),
        ("/v/\(hex)/%2F", .encodedSlash("%2F")),
        ("/v/\(hex)/a%00.m3u8", .forbiddenCharacter(0)),
        ("/v/\(hex)/a\u{0}.m3u8", .forbiddenCharacter(0)),
        ("/v/\(hex)/a%5Cb", .forbiddenCharacter(0x5C)),
        ("/v/\(hex)/..%5C..%5Cwin.ini", .forbiddenCharacter(0x5C)),
        ("/v/\(hex)/a\\b", .forbiddenCharacter(0x5C)),
        ("/v/\(hex)/a%0Ab", .forbiddenCharacter(0x0A)),
        ("/v/\(hex)/a\rb", .forbiddenCharacter(0x0D)),
        ("/v/\(hex)/a%7F", .forbiddenCharacter(0x7F)),
        ("/v/\(hex)/a%", .malformedEscape("a%")),
        ("/v/\(hex)/a%2", .malformedEscape("a%2")),
        ("/v/\(hex)/a%zz", .malformedEscape("a%zz")),
        ("/v/\(hex)/%%32%65", .malformedEscape("%%32%65")),
        ("/v/\(hex)/%C3", .invalidUTF8("%C3")),
        ("/v/\(hex)/%FF%FE", .invalidUTF8("%FF%FE")),
        ("/v/\(hex)/%C0%AE%C0%AE", .invalidUTF8("%C0%AE%C0%AE")),
        ("/v/\(hex)/%ED%A0%80", .invalidUTF8("%ED%A0%80")),
        ("/v/\(hex)//a", .emptyComponent),
        ("/v/\(hex)/a//b", .emptyComponent),
        ("/v/\(hex)/a/", .emptyComponent),
        ("/v/\(hex)", .missingFilePath),
        ("/v/\(hex)/", .missingFilePath),
        ("/v/\(hex)?x=1", .missingFilePath),
    ])
    func refusesUnsafeFilePaths(path: String, error: HLSRouteError) {
        #expect(throws: error) { try HLSRoute(requestPath: path) }
        #expect(error.status == .badRequest)
    }

    @Test(arguments: [
        "/v/", "/v//a", "/v/xyz/a", "/v/0123456789abcdef0123456789abcdef0123456/a",
        "/v/0123456789abcdef0123456789abcdef012345678/a", "/v/0123456789abcdef0123456789abcdef0123456g/a",
        "/v/%ZZ23456789abcdef0123456789abcdef01234567/a", "/v/%FF/a", "/watch/nothex", "/watch/",
        "/v/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA1/a",
    ])
    func refusesBadInfohashes(path: String) {
        #expect(throws: HLSRouteError.self) { try HLSRoute(requestPath: path) }
        do {
            _ = try HLSRoute(requestPath: path)
        } catch {
            guard case .invalidInfoHash = error else {
                Issue.record("expected invalidInfoHash for \(path), got \(error)")
                return
            }
            #expect(error.status == .badRequest)
        }
    }

    @Test(arguments: [
        "", "/", "v/\(hex)/a", "/v", "/watch", "/V/\(hex)/a", "/video/\(hex)/a", "/api/v1/torrents",
        "/watch/\(hex)/master.m3u8", "/watch/\(hex)//", "//v/\(hex)/a", "/%76/\(hex)/a",
    ])
    func refusesOtherRoutes(path: String) {
        #expect(throws: HLSRouteError.unknownRoute) { try HLSRoute(requestPath: path) }
        #expect(HLSRouteError.unknownRoute.status == .notFound)
    }

    @Test func refusesOverlongPaths() throws {
        let prefix = "/v/\(Self.hex)/"
        let longest =
            prefix + String(repeating: "a", count: HTTPServingLimits.maximumRequestPathBytes - prefix.utf8.count)
        let componentBytes = HTTPServingLimits.maximumRequestPathBytes - prefix.utf8.count
        #expect(throws: HLSRouteError.componentTooLong(bytes: componentBytes, limit: 255)) {
            try HLSRoute(requestPath: longest)
        }
        #expect(throws: HLSRouteError.pathTooLong(bytes: 8193, limit: 8192)) {
            try HLSRoute(requestPath: longest + "a")
        }
        // The query does not count.
        let withQuery = prefix + "a?" + String(repeating: "q", count: 20_000)
        #expect(try HLSRoute(requestPath: withQuery) == .file(Self.infoHash, path: ["a"]))
    }

    @Test func limitsComponentLength() throws {
        let longest = String(repeating: "é", count: 127) + "x"
        #expect(longest.utf8.count == 255)
        let encoded = String(repeating: "%C3%A9", count: 127) + "x"
        #expect(try HLSRoute(requestPath: "/v/\(Self.hex)/\(encoded)") == .file(Self.infoHash, path: [longest]))
        #expect(throws: HLSRouteError.componentTooLong(bytes: 256, limit: 255)) {
            try HLSRoute(requestPath: "/v/\(Self.hex)/\(encoded)y")
        }
    }

    @Test func limitsDepth() throws {
        let deepest = Array(repeating: "d", count: HTTPServingLimits.maximumPathComponents)
        let path = "/v/\(Self.hex)/" + deepest.joined(separator: "/")
        #expect(try HLSRoute(requestPath: path) == .file(Self.infoHash, path: deepest))
        #expect(throws: HLSRouteError.tooManyComponents(count: 129, limit: 128)) {
            try HLSRoute(requestPath: path + "/d")
        }
    }

    // MARK: Building

    @Test func buildsPaths() {
        #expect(HLSRoute.file(Self.infoHash, path: ["master.m3u8"]).path == "/v/\(Self.hex)/master.m3u8")
        #expect(
            HLSRoute.file(Self.infoHash, path: ["My Film (2024)", "segment-00001.m4s"]).path
                == "/v/\(Self.hex)/My%20Film%20%282024%29/segment-00001.m4s")
        #expect(
            HLSRoute.file(Self.infoHash, path: ["café?#%/.mp4"]).path == "/v/\(Self.hex)/caf%C3%A9%3F%23%25%2F.mp4")
        #expect(HLSRoute.file(Self.infoHash, path: ["a~b_c-d.e"]).path == "/v/\(Self.hex)/a~b_c-d.e")
        #expect(HLSRoute.player(Self.infoHash).path == "/watch/\(Self.hex)")
        // Infohashes are written in lowercase hex, however they were parsed.
        #expect(HLSRoute.player(InfoHash(Self.hex.uppercased())!).path == "/watch/\(Self.hex)")
    }

    @Test(arguments: [
        ["master.m3u8"], ["a b", "c"], ["café", "日本語.m4s"], ["🎵 song.m4a"], ["...", "..x", ".hidden"],
        ["100%", "a+b", "a?b", "a#b", "a;b", "a=b&c"], ["C:", "CON"], [String(repeating: "é", count: 127)],
    ])
    func buildingThenParsingGivesTheRouteBack(path: [String]) throws {
        let route = HLSRoute.file(Self.infoHash, path: path)
        #expect(try HLSRoute(requestPath: route.path) == route)
        let player = HLSRoute.player(Self.infoHash)
        #expect(try HLSRoute(requestPath: player.path) == player)
    }

    // MARK: Messages

    @Test func errorsSayWhatIsWrong() {
        #expect(
            HLSRouteError.dotSegment("..").description == "'..' is not allowed in a path")
        #expect(HLSRouteError.forbiddenCharacter(0).description == "NUL is not allowed in a path")
        #expect(HLSRouteError.forbiddenCharacter(0x5C).description == "a backslash is not allowed in a path")
        #expect(
            HLSRouteError.forbiddenCharacter(0x0A).description == "control character U+000A is not allowed in a path")
        #expect(
            HLSRouteError.encodedSlash("a%2Fb").description
                == "'a%2Fb' holds an encoded '/' (%2F), which no file name of a torrent has")
        #expect(
            HLSRouteError.invalidInfoHash("xyz").description
                == "'xyz' is not an infohash: expected 40 hex digits or 32 base32 characters")
        #expect(
            HLSRouteError.pathTooLong(bytes: 9000, limit: 8192).description
                == "the request path is 9000 bytes long, more than the limit of 8192")
        // Hostile text is shortened and its control characters replaced.
        let long = HLSRouteError.malformedEscape(String(repeating: "%", count: 5000) + "\r\n").description
        #expect(long.count < 150)
        #expect(!long.contains("\r") && !long.contains("\n"))
        #expect(HLSRouteError.invalidInfoHash("a\r\nb").description.hasPrefix("'a??b'"))
    }
}
