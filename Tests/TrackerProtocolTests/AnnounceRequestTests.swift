import TestSupport
import Testing
import TorrentModel

@testable import TrackerProtocol

@Suite("HTTP announce requests")
struct AnnounceRequestTests {
    private let hashText = "%01%02%03%04%05%06%07%08%09%0A%0B%0C%0D%0E%0F%10%11%12%13%14"

    @Test func buildsTheQueryWithRawBytesPercentEncoded() throws {
        let request = try Fixtures.request()
        #expect(
            request.httpQuery
                == "info_hash=\(hashText)&peer_id=-SH0100-abcdefghijkl&port=6881&uploaded=1024&downloaded=2048"
                + "&left=4096&compact=1&event=started&numwant=50&key=0012ABCD")
    }

    @Test func leavesOutUnsetFieldsAndAddsOptionalOnes() throws {
        let plain = try Fixtures.request(event: .none, compact: false, numWant: nil, key: nil)
        #expect(
            plain.httpQuery
                == "info_hash=\(hashText)&peer_id=-SH0100-abcdefghijkl&port=6881&uploaded=1024&downloaded=2048"
                + "&left=4096&compact=0")
        let full = try Fixtures.request(event: .stopped, trackerID: [0x00, 0x41], ip: "2001:db8::1")
        #expect(full.httpQuery.hasSuffix("&event=stopped&numwant=50&key=0012ABCD&trackerid=%00A&ip=2001%3Adb8%3A%3A1"))
    }

    @Test func appendsToTheTrackerURL() throws {
        let request = try Fixtures.request()
        #expect(
            request.httpURL(announceURL: "http://t/announce?passkey=k").hasPrefix(
                "http://t/announce?passkey=k&info_hash="))
        #expect(request.httpURL(announceURL: "http://t/announce").hasPrefix("http://t/announce?info_hash=%01"))
    }

    @Test func parsesWhatItBuilds() throws {
        let requests = [
            try Fixtures.request(),
            try Fixtures.request(event: .none, compact: false, numWant: nil, key: nil),
            try Fixtures.request(event: .completed, numWant: 0, key: 0, trackerID: [0, 1, 255], ip: "198.51.100.7"),
            try Fixtures.request(event: .stopped, key: .max, ip: "tracker-visible.example"),
            try Fixtures.request(event: .paused),
        ]
        for request in requests {
            #expect(try AnnounceRequest(httpQuery: request.httpQuery) == request)
        }
    }

    @Test func parsesRandomRequests() throws {
        var random = SeededRandom(seed: 42)
        for _ in 0..<300 {
            let request = try AnnounceRequest(
                infoHash: InfoHash(bytes: random.bytes(count: 20))!, peerID: random.bytes(count: 20),
                port: UInt16(1 + random.below(65535)), uploaded: Int64(random.below(1 << 40)),
                downloaded: Int64(random.below(1 << 40)), left: Int64(random.below(1 << 40)),
                event: AnnounceEvent.allCases[random.below(5)], compact: random.below(2) == 0,
                numWant: random.below(2) == 0 ? nil : random.below(1000), key: UInt32(truncatingIfNeeded: random.next())
            )
            #expect(try AnnounceRequest(httpQuery: request.httpQuery) == request)
        }
    }

    @Test func acceptsWhatOtherClientsSend() throws {
        // Field order, unknown fields, lowercase escapes, numwant -1 and a non-hex key, as real clients send them.
        let query =
            "supportcrypto=1&key=aB3x9Q&numwant=-1&left=0&downloaded=10&uploaded=20&port=51413&no_peer_id=1"
            + "&peer_id=%2dTR3000%2d123456789012&info_hash=\(hashText.lowercased())&event=&corrupt=0"
        let request = try AnnounceRequest(httpQuery: query)
        #expect(request.infoHash == Fixtures.infoHash)
        #expect(request.peerID == Array("-TR3000-123456789012".utf8))
        #expect(request.port == 51413)
        #expect(request.uploaded == 20 && request.downloaded == 10 && request.left == 0)
        #expect(request.event == AnnounceEvent.none)
        #expect(request.numWant == nil)
        #expect(request.compact == false)
        // FNV-1a of "aB3x9Q": stable, so the same client keeps the same key.
        #expect(request.key == 0xF52C_B723)
        #expect(try AnnounceRequest(httpQuery: query).key == request.key)
        #expect(try AnnounceRequest(httpQuery: query.replacingOccurrences(of: "aB3x9Q", with: "ff")).key == 0xFF)
    }

    private func base(without name: String) -> [String] {
        [
            "info_hash=\(hashText)", "peer_id=-SH0100-abcdefghijkl", "port=6881", "uploaded=0", "downloaded=0",
            "left=5",
        ].filter { !$0.hasPrefix(name + "=") }
    }

    private func query(replacing name: String, with value: String?) -> String {
        (base(without: name) + (value.map { ["\(name)=\($0)"] } ?? [])).joined(separator: "&")
    }

    @Test(arguments: ["info_hash", "peer_id", "port", "uploaded", "downloaded", "left"])
    func requiresEveryMandatoryField(name: String) {
        #expect(throws: TrackerProtocolError.missingField(name)) {
            try AnnounceRequest(httpQuery: query(replacing: name, with: nil))
        }
    }

    @Test func refusesBadFields() {
        let cases: [(String, String, TrackerProtocolError)] = [
            ("info_hash", "%01%02", .badInfoHashLength(2)),
            ("info_hash", hashText + "%15", .badInfoHashLength(21)),
            ("info_hash", "", .badInfoHashLength(0)),
            ("peer_id", "short", .badPeerIDLength(5)),
            ("peer_id", String(repeating: "x", count: 21), .badPeerIDLength(21)),
            ("port", "0", .badPort("0")),
            ("port", "65536", .badPort("65536")),
            ("port", "-1", .badPort("-1")),
            ("port", "+80", .badPort("+80")),
            ("port", "http", .badPort("http")),
            ("port", "", .badPort("")),
            ("uploaded", "-5", .badNumber(field: "uploaded", value: "-5")),
            ("downloaded", "1e3", .badNumber(field: "downloaded", value: "1e3")),
            ("left", "99999999999999999999", .badNumber(field: "left", value: "99999999999999999999")),
            ("left", " 1", .badNumber(field: "left", value: " 1")),
            ("event", "paused2", .badEvent("paused2")),
            ("event", "Started", .badEvent("Started")),
            ("compact", "yes", .badFlag(field: "compact", value: "yes")),
            ("compact", "2", .badFlag(field: "compact", value: "2")),
            ("numwant", "-2", .badNumber(field: "numwant", value: "-2")),
            ("numwant", "lots", .badNumber(field: "numwant", value: "lots")),
            ("numwant", "4294967296", .badNumber(field: "numwant", value: "4294967296")),
            ("key", String(repeating: "k", count: 257), .fieldTooLong(field: "key", length: 257, limit: 256)),
            ("ip", String(repeating: "1", count: 300), .fieldTooLong(field: "ip", length: 300, limit: 256)),
            (
                "trackerid", String(repeating: "t", count: 257),
                .fieldTooLong(field: "trackerid", length: 257, limit: 256)
            ),
        ]
        for (name, value, error) in cases {
            #expect(throws: error, "\(name)=\(value)") {
                try AnnounceRequest(httpQuery: query(replacing: name, with: value))
            }
        }
    }

    @Test(arguments: ["info_hash", "port", "left", "event", "key"])
    func refusesRepeatedFields(name: String) {
        let query = self.query(replacing: "unused", with: nil) + "&event=started&key=1&\(name)=1"
        #expect(throws: TrackerProtocolError.duplicateField(name)) { try AnnounceRequest(httpQuery: query) }
    }

    @Test func modelRefusesABadPeerIDOrNegativeCounts() {
        #expect(throws: TrackerProtocolError.badPeerIDLength(19)) {
            try AnnounceRequest(infoHash: Fixtures.infoHash, peerID: Array(repeating: 1, count: 19), port: 1, left: 0)
        }
        #expect(throws: TrackerProtocolError.badNumber(field: "left", value: "-1")) {
            try AnnounceRequest(infoHash: Fixtures.infoHash, peerID: Fixtures.peerID, port: 1, left: -1)
        }
    }

    @Test func errorsReadAsSentences() {
        #expect(TrackerProtocolError.badInfoHashLength(2).description == "info_hash is 2 bytes, not 20")
        #expect(TrackerProtocolError.badPort("0").description == "port '0' is not a number from 1 to 65535")
        #expect(TrackerProtocolError.missingField("left").description == "missing 'left'")
    }
}
