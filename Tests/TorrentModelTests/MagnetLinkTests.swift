import Glibc
import Testing
import TorrentModel

@Suite("Magnet links")
struct MagnetLinkTests {
    static let hex = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a"
    static let upperHex = "C12FE1C06BBA254A9DC9F519B335AA7C1367A88A"
    /// The same 20 bytes in RFC 4648 base32 (as Python's base64.b32encode writes them).
    static let base32 = "YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK"
    static let hash = InfoHash(hex)!

    static func parse(_ text: String) throws(MagnetError) -> MagnetLink { try MagnetLink(parsing: text) }

    // MARK: Parsing

    @Test func minimalHexLink() throws {
        let link = try Self.parse("magnet:?xt=urn:btih:\(Self.hex)")
        #expect(link.infoHash.hex == Self.hex)
        #expect(link.displayName == nil)
        #expect(link.trackers == [])
        #expect(link.peers == [])
        #expect(link.webSeeds == [])
        #expect(link.selectedFiles == nil)
    }

    @Test func uppercaseHexAndBase32NameTheSameHash() throws {
        #expect(try Self.parse("magnet:?xt=urn:btih:\(Self.upperHex)").infoHash == Self.hash)
        #expect(try Self.parse("magnet:?xt=urn:btih:\(Self.base32)").infoHash == Self.hash)
        #expect(try Self.parse("magnet:?xt=urn:btih:\(Self.base32.lowercased())").infoHash == Self.hash)
    }

    @Test func fullLink() throws {
        let link = try Self.parse(
            "magnet:?xt=urn:btih:\(Self.hex)&dn=Big+Buck%20Bunny%2C%20%C3%A9dition&tr=udp%3A%2F%2Ft1.example%3A80"
                + "&tr=http://t2.example/announce&x.pe=10.0.0.1:6881&x.pe=%5B2001:db8::1%5D:51413"
                + "&x.pe=peer.example:1&ws=https://ws.example/a&ws=https://ws.example/b&so=0,2,4-6")
        #expect(link.infoHash == Self.hash)
        #expect(link.displayName == "Big+Buck Bunny, édition")
        #expect(link.trackers == ["udp://t1.example:80", "http://t2.example/announce"])
        #expect(
            link.peers == [
                PeerAddress(host: "10.0.0.1", port: 6881), PeerAddress(host: "2001:db8::1", port: 51413),
                PeerAddress(host: "peer.example", port: 1),
            ])
        #expect(link.webSeeds == ["https://ws.example/a", "https://ws.example/b"])
        #expect(link.selectedFiles == [0, 2, 4, 5, 6])
    }

    @Test func repeatedTrackersKeepTheirOrderWithoutRepeats() throws {
        let link = try Self.parse("magnet:?xt=urn:btih:\(Self.hex)&tr=http://b&tr=http://a&tr=http://b&tr=http://c")
        #expect(link.trackers == ["http://b", "http://a", "http://c"])
    }

    @Test func keysAndSchemeAreCaseInsensitiveAndWhitespaceIsTrimmed() throws {
        let link = try Self.parse("  MAGNET:?XT=URN:BTIH:\(Self.hex)&DN=x&TR=http://t\n")
        #expect(link.infoHash == Self.hash)
        #expect(link.displayName == "x")
        #expect(link.trackers == ["http://t"])
    }

    @Test func unknownParametersAndOtherHashesAreIgnored() throws {
        let link = try Self.parse(
            "magnet:?xt=urn:sha1:ABCDEF&xt=urn:btih:\(Self.hex)&xl=12345&kt=a+b&as=http://x&&foo&xt=urn:btmh:1220ab")
        #expect(link == MagnetLink(infoHash: Self.hash))
    }

    @Test func sameHashTwiceInBothFormsIsFine() throws {
        let link = try Self.parse("magnet:?xt=urn:btih:\(Self.hex)&xt=urn:btih:\(Self.base32)")
        #expect(link.infoHash == Self.hash)
    }

    @Test func emptyDisplayNameIsKept() throws {
        #expect(try Self.parse("magnet:?xt=urn:btih:\(Self.hex)&dn=").displayName == "")
        #expect(try Self.parse("magnet:?dn&xt=urn:btih:\(Self.hex)").displayName == "")
    }

    @Test func fileSelection() throws {
        #expect(try Self.parse("magnet:?xt=urn:btih:\(Self.hex)&so=7").selectedFiles == [7])
        #expect(try Self.parse("magnet:?xt=urn:btih:\(Self.hex)&so=3-3").selectedFiles == [3])
        #expect(
            try Self.parse("magnet:?xt=urn:btih:\(Self.hex)&so=0-2,10,12-13").selectedFiles == [0, 1, 2, 10, 12, 13])
        let limit = MagnetLink.maximumSelectedFiles
        #expect(try Self.parse("magnet:?xt=urn:btih:\(Self.hex)&so=0-\(limit - 1)").selectedFiles?.count == limit)
    }

    @Test(arguments: ["1.2.3.4:80", "host-name.example:65535", "[::1]:1", "[fe80::1:2]:6881", "localhost:6881"])
    func peerAddressesRoundTrip(text: String) throws {
        let peer = try #require(PeerAddress(text))
        #expect(peer.description == text)
    }

    @Test func peerAddressParts() {
        #expect(PeerAddress("[::1]:6881") == PeerAddress(host: "::1", port: 6881))
        #expect(PeerAddress("a.b:443") == PeerAddress(host: "a.b", port: 443))
    }

    // MARK: Errors

    @Test(arguments: ["", "   ", "http://example.com/?xt=urn:btih:x", "magnet:", "magnet:xt=urn:btih:x", "magnet?xt=1"])
    func notAMagnet(text: String) {
        #expect(throws: MagnetError.notAMagnet) { try Self.parse(text) }
    }

    @Test func missingInfoHash() {
        #expect(throws: MagnetError.missingInfoHash) { try Self.parse("magnet:?") }
        #expect(throws: MagnetError.missingInfoHash) { try Self.parse("magnet:?dn=name&tr=http://t") }
        #expect(throws: MagnetError.missingInfoHash) { try Self.parse("magnet:?xt=urn:sha1:\(Self.hex)") }
        #expect(throws: MagnetError.missingInfoHash) { try Self.parse("magnet:?xt") }
    }

    @Test func onlyV2Hash() {
        let text = "magnet:?xt=urn:btmh:1220caf1e1c30e81cb361b9ee167c4aa64228a7fa4fa9f6105232b28ad099f3a302e"
        #expect(throws: MagnetError.onlyV2Hash) { try Self.parse(text) }
        #expect(throws: MagnetError.onlyV2Hash) { try Self.parse(text.uppercased()) }
    }

    @Test(arguments: [
        "",
        "c12fe1c06bba254a9dc9f519b335aa7c1367a88",
        "c12fe1c06bba254a9dc9f519b335aa7c1367a88a0",
        "g12fe1c06bba254a9dc9f519b335aa7c1367a88a",
        "YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKE",
        "YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEKA",
        "YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKE1",
        "YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKE=",
        "c12fe1c06bba254a9dc9f519b335aa7c1367a88 ",
    ])
    func badInfoHash(hash: String) {
        #expect(throws: MagnetError.badInfoHash(hash)) {
            try Self.parse("magnet:?xt=urn:btih:\(hash.replacing(" ", with: "%20"))")
        }
    }

    @Test func conflictingInfoHashes() {
        let other = "0000000000000000000000000000000000000000"
        #expect(throws: MagnetError.conflictingInfoHashes) {
            try Self.parse("magnet:?xt=urn:btih:\(Self.hex)&xt=urn:btih:\(other)")
        }
    }

    @Test(arguments: ["dn=%", "dn=%4", "dn=%G1", "dn=%1G", "tr=http://a%2", "dn=%FF", "dn=%C3", "dn=%C3%28"])
    func badPercentEncoding(pair: String) {
        #expect(throws: MagnetError.badPercentEncoding(pair)) {
            try Self.parse("magnet:?xt=urn:btih:\(Self.hex)&\(pair)")
        }
    }

    @Test(arguments: [
        "", "host", "host:", ":6881", "host:0", "host:65536", "host:port", "host:-1", "[::1]", "[::1]6881", "::1:6881",
        "[]:80", "[1.2.3.4]:80", "bad host:80", "hóst:80", "a_b:80", "1.2.3.4:80:90", "host:+80",
    ])
    func badPeer(peer: String) {
        #expect(PeerAddress(peer) == nil)
        let encoded = peer.replacing(" ", with: "%20").replacing("+", with: "%2B")
        #expect(throws: MagnetError.badPeer(peer)) { try Self.parse("magnet:?xt=urn:btih:\(Self.hex)&x.pe=\(encoded)") }
    }

    @Test(arguments: ["", "a", "1-", "-1", "3-1", "1,,2", ",1", "1,", "1-2-3", "0x1", "1.5", "٣", "+1", "1-+2"])
    func badFileSelection(selection: String) {
        let encoded = selection.replacing("+", with: "%2B")
        #expect(throws: MagnetError.badFileSelection(selection)) {
            try Self.parse("magnet:?xt=urn:btih:\(Self.hex)&so=\(encoded)")
        }
    }

    @Test func fileSelectionTooLarge() {
        let limit = MagnetLink.maximumSelectedFiles
        #expect(throws: MagnetError.badFileSelection("0-\(limit)")) {
            try Self.parse("magnet:?xt=urn:btih:\(Self.hex)&so=0-\(limit)")
        }
        #expect(throws: MagnetError.badFileSelection("0-\(limit - 1),\(limit)")) {
            try Self.parse("magnet:?xt=urn:btih:\(Self.hex)&so=0-\(limit - 1),\(limit)")
        }
        #expect(throws: MagnetError.badFileSelection("5-99999999999999999999")) {
            try Self.parse("magnet:?xt=urn:btih:\(Self.hex)&so=5-99999999999999999999")
        }
    }

    /// Found by fuzzing: an index near Int.max used to parse, then trap when the link was formatted.
    @Test func fileIndicesBeyondAnyTorrentAreRefused() {
        let largest = TorrentLimits.maximumFileCount - 1
        #expect((try? Self.parse("magnet:?xt=urn:btih:\(Self.hex)&so=\(largest)"))?.selectedFiles == [largest])
        for selection in ["9223372036854775807,0", "\(largest + 1)"] {
            #expect(throws: MagnetError.badFileSelection(selection)) {
                try Self.parse("magnet:?xt=urn:btih:\(Self.hex)&so=\(selection)")
            }
        }
    }

    /// A range reaching Int.max must be refused as too large, not crash on arithmetic overflow.
    @Test func fileSelectionNearIntMaxDoesNotCrash() async {
        await #expect(processExitsWith: .success) {
            let hex = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a"
            for selection in ["0-9223372036854775807", "0,1-9223372036854775807"] {
                do throws(MagnetError) {
                    _ = try MagnetLink(parsing: "magnet:?xt=urn:btih:\(hex)&so=\(selection)")
                    exit(1)
                } catch {
                    guard error == .badFileSelection(selection) else { exit(2) }
                }
            }
        }
    }

    @Test func emptyTrackerOrWebSeed() {
        #expect(throws: MagnetError.emptyValue("tr")) { try Self.parse("magnet:?xt=urn:btih:\(Self.hex)&tr=") }
        #expect(throws: MagnetError.emptyValue("tr")) { try Self.parse("magnet:?xt=urn:btih:\(Self.hex)&tr") }
        #expect(throws: MagnetError.emptyValue("ws")) { try Self.parse("magnet:?xt=urn:btih:\(Self.hex)&ws=") }
    }

    @Test func errorDescriptions() {
        #expect(MagnetError.notAMagnet.description.contains("magnet:?"))
        #expect(MagnetError.missingInfoHash.description.contains("xt=urn:btih:"))
        #expect(MagnetError.badInfoHash("zz").description.contains("'zz'"))
        #expect(MagnetError.onlyV2Hash.description.contains("btmh"))
        #expect(MagnetError.badPeer("h").description.contains("x.pe=h"))
        #expect(MagnetError.badFileSelection("q").description.contains("so=q"))
        #expect(MagnetError.emptyValue("tr").description == "magnet parameter 'tr' is empty")
        #expect(MagnetError.badPercentEncoding("dn=%").description.contains("'dn=%'"))
    }

    // MARK: Formatting

    @Test func minimalUri() {
        #expect(MagnetLink(infoHash: Self.hash).uri == "magnet:?xt=urn:btih:\(Self.hex)")
    }

    @Test func fullUri() {
        let link = MagnetLink(
            infoHash: Self.hash, displayName: "My File & Co = 100%+ é",
            trackers: ["udp://t.example:80/announce", "http://t2.example/a?x=1&y=2"],
            peers: [PeerAddress(host: "1.2.3.4", port: 80), PeerAddress(host: "::1", port: 6881)],
            webSeeds: ["https://w.example/My File"], selectedFiles: [0, 1, 2, 5, 7, 8])
        #expect(
            link.uri
                == "magnet:?xt=urn:btih:\(Self.hex)&dn=My%20File%20%26%20Co%20%3D%20100%25%2B%20%C3%A9"
                + "&tr=udp://t.example:80/announce&tr=http://t2.example/a%3Fx%3D1%26y%3D2"
                + "&ws=https://w.example/My%20File&x.pe=1.2.3.4:80&x.pe=%5B::1%5D:6881&so=0-2,5,7-8")
    }

    @Test(arguments: [
        MagnetLink(infoHash: InfoHash("c12fe1c06bba254a9dc9f519b335aa7c1367a88a")!),
        MagnetLink(
            infoHash: InfoHash("0123456789abcdef0123456789abcdef01234567")!, displayName: "a+b & c=d %41 ☃",
            trackers: ["http://x/a?b=c&d", "udp://y:1"], peers: [PeerAddress(host: "fe80::1", port: 9)],
            webSeeds: ["http://w/ä"], selectedFiles: [3, 1, 1, 4]),
        MagnetLink(
            infoHash: InfoHash("ffffffffffffffffffffffffffffffffffffffff")!, displayName: "", selectedFiles: [0]),
    ])
    func formatThenParseGivesTheSameLink(link: MagnetLink) throws {
        #expect(try MagnetLink(parsing: link.uri) == link)
    }

    @Test func base32LinkIsFormattedAsHex() throws {
        let link = try Self.parse("magnet:?xt=urn:btih:\(Self.base32)&dn=x")
        #expect(link.uri == "magnet:?xt=urn:btih:\(Self.hex)&dn=x")
    }
}
