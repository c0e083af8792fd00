import TestSupport
import Testing
import TorrentModel

@testable import TrackerProtocol

@Suite("Peer endpoints and compact peer lists")
struct PeerEndpointTests {
    static let numericAddresses: [(String, [UInt8])] = {
        let zeros = { (count: Int) in [UInt8](repeating: 0, count: count) }
        return [
            ("192.0.2.1", [192, 0, 2, 1]),
            ("0.0.0.0", [0, 0, 0, 0]),
            ("255.255.255.255", [255, 255, 255, 255]),
            ("::", zeros(16)),
            ("::1", zeros(15) + [1]),
            ("2001:db8::1", [0x20, 0x01, 0x0D, 0xB8] + zeros(11) + [1]),
            ("2001:DB8:0:0:1:0:0:1", [0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]),
            ("fe80::", [0xFE, 0x80] + zeros(14)),
            ("::ffff:192.0.2.1", zeros(10) + [0xFF, 0xFF, 192, 0, 2, 1]),
            ("1:2:3:4:5:6:7:8", [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]),
            ("1:2:3:4:5:6:7::", [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0]),
        ]
    }()

    @Test(arguments: numericAddresses)
    func parsesNumericAddresses(text: String, bytes: [UInt8]) throws {
        let peer = try #require(PeerEndpoint(host: text, port: 80))
        #expect(peer.addressBytes == bytes)
        #expect(peer.family == (bytes.count == 4 ? .ipv4 : .ipv6))
    }

    @Test(arguments: [
        "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1..2.3", "a.b.c.d", "tracker.example.org", ":::",
        "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "g::1", "::1%eth0", "1:2:3:4:5:6:7:8::", ":1::", "1::2:",
        "::1.2.3", "1.2.3.4::", " 1.2.3.4",
    ])
    func refusesAnythingElse(text: String) {
        #expect(PeerEndpoint(host: text, port: 80) == nil)
    }

    @Test func formatsAsRFC5952() {
        let cases: [(String, String)] = [
            ("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
            ("2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"),
            ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
            ("0:0:0:0:0:0:0:0", "::"),
            ("1:0:2:0:3:0:4:0", "1:0:2:0:3:0:4:0"),
            ("::ffff:10.0.0.1", "::ffff:10.0.0.1"),
            ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"),
            ("192.0.2.33", "192.0.2.33"),
        ]
        for (input, expected) in cases {
            #expect(PeerEndpoint(host: input, port: 1)?.host == expected, "\(input)")
        }
        #expect(Fixtures.peer("2001:db8::1", 6881).description == "[2001:db8::1]:6881")
        #expect(Fixtures.peer("10.1.2.3", 51413).description == "10.1.2.3:51413")
        #expect(Fixtures.peer("::1", 80).peerAddress == PeerAddress(host: "::1", port: 80))
    }

    @Test func rawAddressesMustBeFourOrSixteenBytes() {
        #expect(PeerEndpoint(addressBytes: [1, 2, 3], port: 1) == nil)
        #expect(PeerEndpoint(addressBytes: [UInt8](repeating: 1, count: 6), port: 1) == nil)
        #expect(PeerEndpoint(addressBytes: [1, 2, 3, 4], port: 1)?.host == "1.2.3.4")
    }

    @Test func compactEntriesAreAddressThenBigEndianPort() throws {
        let v4 = Fixtures.peer("10.0.0.1", 0x1AE1)
        #expect(v4.compactBytes == [10, 0, 0, 1, 0x1A, 0xE1])
        let v6 = Fixtures.peer("::1", 443)
        #expect(v6.compactBytes == [UInt8](repeating: 0, count: 15) + [1, 0x01, 0xBB])
        let mixed = [v4, v6, Fixtures.peer("192.168.1.9", 65535)]
        let list = PeerEndpoint.compactList(mixed, family: .ipv4)
        #expect(list == [10, 0, 0, 1, 0x1A, 0xE1, 192, 168, 1, 9, 0xFF, 0xFF])
        #expect(try PeerEndpoint.decodeCompactList(list[...], family: .ipv4) == [mixed[0], mixed[2]])
        let list6 = PeerEndpoint.compactList(mixed, family: .ipv6)
        #expect(list6.count == 18)
        #expect(try PeerEndpoint.decodeCompactList(list6[...], family: .ipv6) == [v6])
        #expect(try PeerEndpoint.decodeCompactList([][...], family: .ipv6) == [])
    }

    @Test func randomCompactListsRoundTrip() throws {
        var random = SeededRandom(seed: 7)
        for family in PeerAddressFamily.allCases {
            let peers = (0..<200).map { _ in
                PeerEndpoint(
                    addressBytes: random.bytes(count: family.addressSize),
                    port: UInt16(truncatingIfNeeded: random.next()))!
            }
            let bytes = PeerEndpoint.compactList(peers, family: family)
            #expect(bytes.count == 200 * family.compactEntrySize)
            #expect(try PeerEndpoint.decodeCompactList(bytes[...], family: family) == peers)
            // The text form parses back to the same bytes.
            for peer in peers { #expect(PeerEndpoint(host: peer.host, port: peer.port) == peer) }
        }
    }

    @Test func truncatedCompactListsAreRefused() {
        for length in [1, 5, 7, 11, 13] {
            #expect(throws: TrackerProtocolError.compactPeersMisaligned(key: "peers", length: length, entrySize: 6)) {
                try PeerEndpoint.decodeCompactList([UInt8](repeating: 1, count: length)[...], family: .ipv4)
            }
        }
        #expect(throws: TrackerProtocolError.compactPeersMisaligned(key: "peers6", length: 24, entrySize: 18)) {
            try PeerEndpoint.decodeCompactList([UInt8](repeating: 1, count: 24)[...], family: .ipv6, key: "peers6")
        }
    }
}
