import Bencode
import TestSupport
import Testing

@testable import TrackerProtocol

@Suite("HTTP announce responses")
struct AnnounceResponseTests {
    private let v4a = Fixtures.peer("10.0.0.1", 6881)
    private let v4b = Fixtures.peer("192.168.7.9", 51413)
    private let v6 = Fixtures.peer("2001:db8::7", 443)

    private func decode(_ text: String) throws(TrackerProtocolError) -> TrackerReply<AnnounceResponse> {
        try AnnounceResponse.decodeHTTP(Fixtures.bytes(text))
    }

    @Test func encodesCompactPeersAndPeers6() {
        let response = AnnounceResponse(
            interval: 1800, minInterval: 900, trackerID: Array("tid".utf8), complete: 3, incomplete: 4,
            peers: [v4a, v6, v4b], warning: "slow down")
        let expected: [UInt8] =
            Fixtures.bytes("d8:completei3e10:incompletei4e8:intervali1800e12:min intervali900e5:peers12:")
            + [10, 0, 0, 1, 0x1A, 0xE1, 192, 168, 7, 9, 0xC8, 0xD5] + Fixtures.bytes("6:peers618:") + v6.compactBytes
            + Fixtures.bytes("10:tracker id3:tid15:warning message9:slow downe")
        #expect(response.bencoded(peerForm: .compact) == expected)
        // Without IPv6 peers there is no `peers6`, but `peers` is always there.
        #expect(
            AnnounceResponse(interval: 60).bencoded(peerForm: .compact) == Fixtures.bytes("d8:intervali60e5:peers0:e"))
    }

    @Test func encodesDictionaryPeers() {
        let response = AnnounceResponse(interval: 60, peers: [v4a, v6])
        #expect(
            Fixtures.text(response.bencoded(peerForm: .dictionary))
                == "d8:intervali60e5:peersld2:ip8:10.0.0.14:porti6881eed2:ip11:2001:db8::74:porti443eeee")
    }

    @Test func bothFormsRoundTrip() throws {
        let response = AnnounceResponse(
            interval: 120, minInterval: 30, trackerID: [0, 255], complete: 0, incomplete: 12, downloaded: 99,
            peers: [v4a, v4b, v6], warning: "w")
        for form in [PeerListForm.compact, .dictionary] {
            let decoded = try AnnounceResponse.decodeHTTP(response.bencoded(peerForm: form))
            // The compact form lists IPv4 peers first, then IPv6.
            #expect(decoded == .success(response))
        }
    }

    @Test func randomResponsesRoundTrip() throws {
        var random = SeededRandom(seed: 99)
        for _ in 0..<100 {
            var peers: [PeerEndpoint] = []
            for _ in 0..<random.below(60) {
                peers.append(
                    PeerEndpoint(addressBytes: random.bytes(count: 4), port: UInt16(truncatingIfNeeded: random.next()))!
                )
            }
            for _ in 0..<random.below(20) {
                peers.append(
                    PeerEndpoint(
                        addressBytes: random.bytes(count: 16), port: UInt16(truncatingIfNeeded: random.next()))!)
            }
            let response = AnnounceResponse(
                interval: random.below(10000), complete: random.below(100), incomplete: random.below(100), peers: peers)
            #expect(try AnnounceResponse.decodeHTTP(response.bencoded(peerForm: .compact)) == .success(response))
            #expect(try AnnounceResponse.decodeHTTP(response.bencoded(peerForm: .dictionary)) == .success(response))
        }
    }

    @Test func readsWhatOpentrackerSends() throws {
        // Captured from Debian's opentracker: keys sorted, `downloaded` included, one compact peer.
        let body: [UInt8] =
            Fixtures.bytes(
                "d8:completei0e10:downloadedi0e10:incompletei1e8:intervali1846e12:min intervali923e5:peers6:")
            + [127, 0, 0, 1, 0x1A, 0xE1] + Fixtures.bytes("e")
        let response = try #require(try AnnounceResponse.decodeHTTP(body).payload)
        #expect(response.interval == 1846)
        #expect(response.minInterval == 923)
        #expect(response.complete == 0 && response.incomplete == 1 && response.downloaded == 0)
        #expect(response.peers == [Fixtures.peer("127.0.0.1", 6881)])
    }

    @Test func toleratesKeysOutOfOrderAndMissingOptionalFields() throws {
        let reply = try decode("d5:peers0:8:intervali30e15:warning message4:note7:unknownli1eee")
        #expect(reply == .success(AnnounceResponse(interval: 30, warning: "note")))
        // No interval: the default; no peers: none.
        #expect(try decode("de") == .success(AnnounceResponse(interval: TrackerLimits.defaultAnnounceInterval)))
    }

    @Test func readsDictionaryPeersSkippingHostNames() throws {
        let reply = try decode(
            "d8:intervali5e5:peersld2:ip8:10.0.0.17:peer id20:aaaaaaaaaaaaaaaaaaaa4:porti6881ee"
                + "d4:porti80e2:ip14:peer.example.0ed2:ip3:::14:porti1eeee")
        #expect(reply == .success(AnnounceResponse(interval: 5, peers: [v4a, Fixtures.peer("::1", 1)])))
    }

    @Test func failureReasonIsItsOwnOutcome() throws {
        #expect(try decode("d14:failure reason9:not founde") == .failure(reason: "not found"))
        // Even alongside success fields.
        #expect(try decode("d8:intervali5e14:failure reason1:x5:peers0:e") == .failure(reason: "x"))
        // Invalid UTF-8 is shown, not refused.
        #expect(
            try AnnounceResponse.decodeHTTP(Fixtures.bytes("d14:failure reason1:") + [0xFF, 0x65])
                == .failure(reason: "\u{FFFD}"))
        let failure = TrackerReply<AnnounceResponse>.failure(reason: "unregistered torrent")
        #expect(Fixtures.text(failure.bencoded(peerForm: .compact)) == "d14:failure reason20:unregistered torrente")
        #expect(try AnnounceResponse.decodeHTTP(failure.bencoded(peerForm: .compact)) == failure)
    }

    @Test func refusesMalformedResponses() {
        let cases: [(String, TrackerProtocolError)] = [
            ("d8:intervali5e5:peers5:abcdee", .compactPeersMisaligned(key: "peers", length: 5, entrySize: 6)),
            ("d8:intervali5e5:peers7:abcdefge", .compactPeersMisaligned(key: "peers", length: 7, entrySize: 6)),
            ("d8:intervali5e6:peers66:abcdefe", .compactPeersMisaligned(key: "peers6", length: 6, entrySize: 18)),
            ("d8:intervali5e5:peersi3ee", .wrongType(key: "peers", expected: "a byte string or a list")),
            ("d8:intervali5e6:peers6lee", .wrongType(key: "peers6", expected: "a byte string")),
            ("d8:interval2:60e", .wrongType(key: "interval", expected: "an integer")),
            ("d8:intervali-1ee", .negativeValue(key: "interval", value: -1)),
            ("d12:min intervali-5ee", .negativeValue(key: "min interval", value: -5)),
            ("d8:completei-1ee", .negativeValue(key: "complete", value: -1)),
            ("d14:failure reasoni1ee", .wrongType(key: "failure reason", expected: "a byte string")),
            ("d15:warning messagei1ee", .wrongType(key: "warning message", expected: "a byte string")),
            ("d10:tracker idi1ee", .wrongType(key: "tracker id", expected: "a byte string")),
            ("li1ee", .notADictionary),
            ("d5:peersli1eee", .badPeerEntry(index: 0, reason: "not a dictionary")),
            ("d5:peersld4:porti1eeee", .badPeerEntry(index: 0, reason: "no 'ip' string")),
            ("d5:peersld2:ip3:::1eee", .badPeerEntry(index: 0, reason: "no 'port' integer")),
            ("d5:peersld2:ip3:::14:port2:80eee", .badPeerEntry(index: 0, reason: "no 'port' integer")),
            ("d5:peersld2:ip3:::14:porti65536eeee", .badPeerEntry(index: 0, reason: "port 65536 out of range")),
            (
                "d5:peersld2:ip3:::14:porti1eed2:ip3:::14:porti-1eeee",
                .badPeerEntry(index: 1, reason: "port -1 out of range")
            ),
        ]
        for (text, error) in cases {
            #expect(throws: error, "\(text)") { try decode(text) }
        }
    }

    @Test func refusesBrokenBencode() {
        for text in ["", "d8:intervali5e", "d8:intervali5ee trailing", "d1:ai1e1:ai2ee", "<html>"] {
            #expect(throws: TrackerProtocolError.self, "\(text)") { try decode(text) }
            do {
                _ = try decode(text)
            } catch {
                guard case .bencode = error else {
                    Issue.record("expected a bencode error for \(text), got \(error)")
                    continue
                }
            }
        }
    }
}
