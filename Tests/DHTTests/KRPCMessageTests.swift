import Bencode
import TestSupport
import Testing
import TorrentModel

@testable import DHT

@Suite("KRPC messages")
struct KRPCMessageTests {
    static let querier = NodeID(bytes: Array("abcdefghij0123456789".utf8))!
    static let responder = NodeID(bytes: Array("mnopqrstuvwxyz123456".utf8))!

    static func decode(_ text: String) throws(KRPCDecodingError) -> KRPCMessage {
        try KRPCMessage.decode(Array(text.utf8))
    }

    static func reason(_ text: String) -> KRPCDecodingError? {
        do {
            _ = try decode(text)
            return nil
        } catch {
            return error
        }
    }

    // MARK: The examples of BEP 5, which are canonical: decoding and encoding gives the same bytes.

    @Test(arguments: [
        "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe",
        "d1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re",
        "d1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee",
        "d1:ad2:id20:abcdefghij01234567896:target20:mnopqrstuvwxyz123456e1:q9:find_node1:t2:aa1:y1:qe",
        "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz123456e1:q9:get_peers1:t2:aa1:y1:qe",
        "d1:rd2:id20:abcdefghij01234567895:token8:aoeusnth6:valuesl6:axje.u6:idhtnmee1:t2:aa1:y1:re",
        "d1:ad2:id20:abcdefghij012345678912:implied_porti1e9:info_hash20:mnopqrstuvwxyz1234564:porti6881e5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe",
    ])
    func bep5ExamplesRoundTrip(text: String) throws {
        let message = try Self.decode(text)
        #expect(message.encoded() == Array(text.utf8))
        #expect(message.transactionID == Array("aa".utf8))
    }

    @Test("a padded query is exactly the size asked for and reads as the same query")
    func paddingReachesTheSizeAndIsSkipped() throws {
        let query = KRPCMessage(
            transactionID: [1, 2],
            kind: .query(KRPCQuery(senderID: Fixtures.id("4000"), method: .getPeers(infoHash: Fixtures.infoHash))),
            version: Array("SH01".utf8))
        let plain = query.encoded().count
        for size in [plain + 7, plain + 8, plain + 16, plain + 18, plain + 19, 400, 1000, 1003, 1005] {
            let bytes = query.encoded(paddedTo: size)
            #expect(bytes.count == size, "padded to \(size)")
            #expect(try KRPCMessage.decode(bytes) == query)
        }
        // 9 bytes of padding take "9:", 10 take "10:" (and 99, 100 alike): a size in between cannot be made.
        for size in [plain + 17, plain + 108] {
            let bytes = query.encoded(paddedTo: size)
            #expect(bytes.count == size - 1, "padded to \(size)")
            #expect(try KRPCMessage.decode(bytes) == query)
        }
        // Too small to hold the padding key: the message as it is.
        for size in [0, plain, plain + 6] { #expect(query.encoded(paddedTo: size) == query.encoded()) }
    }

    @Test func bep5ExamplesDecodeToTheirMeaning() throws {
        let ping = try Self.decode("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe")
        #expect(ping.query == KRPCQuery(senderID: Self.querier, method: .ping))
        let error = try Self.decode("d1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee")
        #expect(error.error == .generic("A Generic Error Ocurred"))
        let peers = try Self.decode(
            "d1:rd2:id20:abcdefghij01234567895:token8:aoeusnth6:valuesl6:axje.u6:idhtnmee1:t2:aa1:y1:re")
        #expect(peers.response?.token == Array("aoeusnth".utf8))
        #expect(
            peers.response?.values == [
                DHTEndpoint(compact: Array("axje.u".utf8))!, DHTEndpoint(compact: Array("idhtnm".utf8))!,
            ])
        let announce = try Self.decode(
            "d1:ad2:id20:abcdefghij012345678912:implied_porti1e9:info_hash20:mnopqrstuvwxyz1234564:porti6881e5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe"
        )
        #expect(
            announce.query?.method
                == .announcePeer(
                    infoHash: Fixtures.infoHash, port: 6881, impliedPort: true, token: Array("aoeusnth".utf8),
                    seed: false))
    }

    @Test func everyFieldRoundTrips() throws {
        var random = SeededRandom(seed: 11)
        let v6 = DHTEndpoint(addressBytes: random.bytes(count: 16), port: 51413)!
        let nodes =
            (0..<8).map { CompactNodeInfo(id: .random(using: &random), endpoint: .ipv4(1, 2, 3, UInt8($0), port: 99)) }
            + [CompactNodeInfo(id: .random(using: &random), endpoint: v6)]
        let messages: [KRPCMessage] = [
            KRPCMessage(
                transactionID: [0, 1], kind: .query(KRPCQuery(senderID: Self.querier, method: .ping)),
                version: Array("SH01".utf8), readOnly: true),
            KRPCMessage(
                transactionID: [0xFF],
                kind: .query(
                    KRPCQuery(senderID: Self.querier, method: .findNode(target: Self.responder), want: [.ipv4, .ipv6]))),
            KRPCMessage(
                transactionID: [9, 9, 9, 9],
                kind: .query(
                    KRPCQuery(senderID: Self.querier, method: .getPeers(infoHash: Fixtures.infoHash), want: [.ipv6]))),
            KRPCMessage(
                transactionID: [7],
                kind: .query(
                    KRPCQuery(
                        senderID: Self.querier,
                        method: .announcePeer(
                            infoHash: Fixtures.infoHash, port: 1, impliedPort: false, token: [1, 2, 3], seed: true)))),
            KRPCMessage(
                transactionID: [1, 2],
                kind: .response(
                    KRPCResponse(
                        senderID: Self.responder, nodes: nodes, values: [.ipv4(5, 6, 7, 8, port: 9), v6], token: [4, 4])
                ),
                requesterAddress: .ipv4(203, 0, 113, 9, port: 4000)),
            KRPCMessage(transactionID: [3], kind: .response(KRPCResponse(senderID: Self.responder))),
            KRPCMessage(transactionID: [4], kind: .error(.methodUnknown("no such method"))),
        ]
        for message in messages {
            let bytes = message.encoded()
            let decoded = try KRPCMessage.decode(bytes)
            #expect(decoded == message)
            // Canonical: a strict decoder that insists on sorted keys reads it too.
            #expect(throws: Never.self) { try BencodeDecoder.decode(bytes) }
        }
    }

    @Test func unknownKeysAndUnsortedKeysAreTolerated() throws {
        let message = try Self.decode(
            "d1:y1:q1:t2:aa1:q4:ping1:ad6:futurel1:xd1:yi1eee2:id20:abcdefghij0123456789e3:zzz3:abce")
        #expect(message.query?.method == .ping)
        let response = try Self.decode("d1:rd2:id20:mnopqrstuvwxyz1234561:pi3e6:samplel1:ae5:nodes0:e1:t2:aa1:y1:re")
        #expect(response.response == KRPCResponse(senderID: Self.responder))
    }

    @Test func advisoryKeysOfTheWrongShapeAreDropped() throws {
        let message = try Self.decode(
            "d1:ad2:id20:abcdefghij0123456789e2:ip3:abc1:q4:ping2:rol1:xe1:t2:aa1:vi5e1:y1:qe")
        #expect(message.version == nil && message.requesterAddress == nil && !message.readOnly)
        let long = try Self.decode(
            "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:v20:abcdefghijklmnopqrst1:y1:qe")
        #expect(long.version == nil)
    }

    @Test func unknownMethodsAreAnsweredWithError204() throws {
        let error = try #require(Self.reason("d1:ad2:id20:abcdefghij0123456789e1:q6:vote!!1:t2:xy1:y1:qe"))
        #expect(error.reason == .unknownMethod("vote!!"))
        #expect(error.isQuery && error.transactionID == Array("xy".utf8))
        let reply = try #require(error.reply)
        #expect(reply.transactionID == Array("xy".utf8))
        #expect(reply.error?.code == 204)
        #expect(try KRPCMessage.decode(reply.encoded()) == reply)
    }

    @Test func badQueriesAreAnsweredWith203AndOthersNotAtAll() throws {
        let query = try #require(Self.reason("d1:ad2:id3:abce1:q4:ping1:t2:xy1:y1:qe"))
        #expect(query.reason == .badLength(key: "a.id", length: 3, expected: "20"))
        #expect(query.reply?.error?.code == 203)
        let response = try #require(Self.reason("d1:rd2:id3:abce1:t2:xy1:y1:re"))
        #expect(!response.isQuery && response.reply == nil)
        let noTransaction = try #require(Self.reason("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:y1:qe"))
        #expect(noTransaction.reason == .missingKey("t") && noTransaction.reply == nil)
    }

    @Test(arguments: [
        ("", "not valid bencode"),
        ("garbage", "not valid bencode"),
        ("i42e", "packet is not a dictionary"),
        ("l1:te", "packet is not a dictionary"),
        ("d1:t2:aae", "missing 'y'"),
        ("d1:y1:qe", "missing 't'"),
        ("d1:t0:1:y1:qe", "'t' is 0 bytes"),
        ("d1:t17:aaaaaaaaaaaaaaaaa1:y1:qe", "'t' is 17 bytes"),
        ("d1:ti1e1:y1:qe", "'t' is not a byte string"),
        ("d1:t2:aa1:y1:xe", "unknown message type 'x'"),
        ("d1:t2:aa1:yi1ee", "'y' is not a byte string"),
        ("d1:t2:aa1:y1:qe", "missing 'q'"),
        ("d1:q4:ping1:t2:aa1:y1:qe", "missing 'a'"),
        ("d1:al2:ide1:q4:ping1:t2:aa1:y1:qe", "'a' is not a dictionary"),
        ("d1:ade1:q4:ping1:t2:aa1:y1:qe", "missing 'a.id'"),
        ("d1:ad2:idi5ee1:q4:ping1:t2:aa1:y1:qe", "'a.id' is not a byte string"),
        ("d1:ad2:id21:abcdefghij0123456789xe1:q4:ping1:t2:aa1:y1:qe", "'a.id' is 21 bytes"),
        ("d1:ad2:id20:abcdefghij0123456789e1:q9:find_node1:t2:aa1:y1:qe", "missing 'a.target'"),
        ("d1:ad2:id20:abcdefghij01234567896:target2:abe1:q9:find_node1:t2:aa1:y1:qe", "'a.target' is 2 bytes"),
        (
            "d1:ad2:id20:abcdefghij01234567899:info_hashi1ee1:q9:get_peers1:t2:aa1:y1:qe",
            "'a.info_hash' is not a byte string"
        ),
        (
            "d1:ad2:id20:abcdefghij01234567894:wanti1e9:info_hash20:mnopqrstuvwxyz123456e1:q9:get_peers1:t2:aa1:y1:qe",
            "'a.want' is not a list"
        ),
        (
            "d1:ad2:id20:abcdefghij01234567894:wantli4ee9:info_hash20:mnopqrstuvwxyz123456e1:q9:get_peers1:t2:aa1:y1:qe",
            "'a.want' is not a list of byte strings"
        ),
        (
            "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz1234565:token1:xe1:q13:announce_peer1:t2:aa1:y1:qe",
            "missing 'a.port'"
        ),
        (
            "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz1234564:porti0e5:token1:xe1:q13:announce_peer1:t2:aa1:y1:qe",
            "'a.port' has the impossible value 0"
        ),
        (
            "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz1234564:porti65536e5:token1:xe1:q13:announce_peer1:t2:aa1:y1:qe",
            "'a.port' has the impossible value 65536"
        ),
        (
            "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz1234564:porti-1e5:token1:xe1:q13:announce_peer1:t2:aa1:y1:qe",
            "'a.port' has the impossible value -1"
        ),
        (
            "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz1234564:porti1ee1:q13:announce_peer1:t2:aa1:y1:qe",
            "missing 'a.token'"
        ),
        (
            "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz1234564:porti1e5:token0:e1:q13:announce_peer1:t2:aa1:y1:qe",
            "'a.token' is 0 bytes"
        ),
        (
            "d1:ad2:id20:abcdefghij012345678912:implied_porti2e9:info_hash20:mnopqrstuvwxyz1234564:porti1e5:token1:xe1:q13:announce_peer1:t2:aa1:y1:qe",
            "'a.implied_port' has the impossible value 2"
        ),
        ("d1:rd2:id20:mnopqrstuvwxyz1234565:nodes3:abce1:t2:aa1:y1:re", "'r.nodes' is 3 bytes, not a multiple of 26"),
        (
            "d1:rd2:id20:mnopqrstuvwxyz1234566:nodes626:abcdefghijabcdefghijabcdefe1:t2:aa1:y1:re",
            "'r.nodes6' is 26 bytes, not a multiple of 38"
        ),
        ("d1:rd2:id20:mnopqrstuvwxyz1234566:valuesl5:abcdeee1:t2:aa1:y1:re", "'r.values' is 5 bytes, not 6 or 18"),
        ("d1:rd2:id20:mnopqrstuvwxyz1234566:valuesli1eee1:t2:aa1:y1:re", "'r.values' is not a list of byte strings"),
        ("d1:rd2:id20:mnopqrstuvwxyz1234566:values6:abcdefe1:t2:aa1:y1:re", "'r.values' is not a list"),
        ("d1:rd2:id20:mnopqrstuvwxyz1234565:token0:e1:t2:aa1:y1:re", "'r.token' is 0 bytes"),
        ("d1:r0:1:t2:aa1:y1:re", "'r' is not a dictionary"),
        ("d1:eli201ee1:t2:aa1:y1:ee", "'e' is not a list of a code and a message"),
        ("d1:el3:abc3:abce1:t2:aa1:y1:ee", "'e' is not a list of a code and a message"),
        ("d1:ei201e1:t2:aa1:y1:ee", "'e' is not a list"),
        ("d1:t2:aa1:t2:bb1:y1:qe", "duplicate dictionary key"),
        ("d1:t2:aa1:y1:qee", "trailing byte"),
        ("d1:t2:aa1:y1:q", "input ends"),
    ])
    func malformedPacketsAreRefusedWithAReason(text: String, expected: String) throws {
        let error = try #require(Self.reason(text), "\(text) was accepted")
        #expect(error.description.contains(expected), "\(text): \(error)")
    }

    @Test func oversizedPacketsAreRefusedUnread() {
        let huge = [UInt8](repeating: UInt8(ascii: "d"), count: DHTLimits.maximumPacketSize + 1)
        #expect(throws: KRPCDecodingError(.packetTooLarge(size: huge.count, limit: DHTLimits.maximumPacketSize))) {
            try KRPCMessage.decode(huge)
        }
    }

    @Test func deepNestingIsRefused() throws {
        let deep =
            "d1:ad2:id20:abcdefghij01234567891:x" + String(repeating: "l", count: 20)
            + String(repeating: "e", count: 20)
            + "e1:q4:ping1:t2:aa1:y1:qe"
        let error = try #require(Self.reason(deep))
        guard case .bencode(let bencode) = error.reason, case .tooDeep = bencode.reason else {
            Issue.record("expected a nesting error, got \(error)")
            return
        }
    }

    @Test func garbageNeverCrashesTheDecoder() {
        var random = SeededRandom(seed: 99)
        let valid = Array(
            "d1:rd2:id20:abcdefghij01234567895:nodes26:abcdefghijabcdefghij1234565:token8:aoeusnth6:valuesl6:axje.u6:idhtnmee1:t2:aa1:y1:re"
                .utf8)
        var accepted = 0
        for _ in 0..<5_000 {
            var bytes = valid
            for _ in 0..<(1 + random.below(4)) {
                switch random.below(3) {
                case 0: bytes[random.below(bytes.count)] = random.nextByte()
                case 1: bytes.removeSubrange(random.below(bytes.count)..<bytes.count)
                default: bytes.insert(random.nextByte(), at: random.below(bytes.count))
                }
                if bytes.isEmpty { bytes = [0] }
            }
            if let message = try? KRPCMessage.decode(bytes) {
                accepted += 1
                // Whatever is accepted encodes and decodes to the same message.
                #expect((try? KRPCMessage.decode(message.encoded())) == message)
            }
        }
        #expect(accepted < 5_000)
        for length in [1, 10, 100, 1_500] {
            #expect(throws: KRPCDecodingError.self) { try KRPCMessage.decode(random.bytes(count: length)) }
        }
    }

    @Test func errorMessagesAreTruncated() throws {
        let long = String(repeating: "x", count: 1_000)
        let message = try Self.decode("d1:eli202e1000:\(long)e1:t2:aa1:y1:ee")
        #expect(message.error?.code == 202)
        #expect(message.error?.message.count == DHTLimits.maximumErrorMessageLength)
    }

    @Test func fittingShedsNodesThenValuesThenTheToken() throws {
        var random = SeededRandom(seed: 5)
        let nodes = (0..<8).map {
            CompactNodeInfo(id: .random(using: &random), endpoint: .ipv4(1, 2, 3, UInt8($0), port: 99))
        }
        let values = (0..<100).map { DHTEndpoint.ipv4(9, 9, UInt8($0 / 256), UInt8($0 % 256), port: 1) }
        let full = KRPCMessage(
            transactionID: [1, 2],
            kind: .response(
                KRPCResponse(senderID: Self.responder, nodes: nodes, values: values, token: [1, 2, 3, 4, 5, 6, 7, 8])))
        let fullBytes = full.encoded()
        #expect(full.encoded(within: fullBytes.count) == fullBytes)
        var previous = fullBytes.count
        var sawNodesGoFirst = false
        for limit in stride(from: fullBytes.count - 1, through: 0, by: -7) {
            guard let bytes = full.encoded(within: limit) else {
                #expect(limit < 50, "gave up at \(limit)")
                break
            }
            #expect(bytes.count <= limit)
            #expect(bytes.count <= previous)
            previous = bytes.count
            let response = try #require(try KRPCMessage.decode(bytes).response)
            if !response.nodes.isEmpty { #expect(response.values.count == 100) }
            if response.nodes.isEmpty && response.values.count == 100 { sawNodesGoFirst = true }
            if response.token == nil { #expect(response.values.isEmpty && response.nodes.isEmpty) }
            // Never much below the limit: nothing is dropped needlessly.
            #expect(limit - bytes.count < 60, "limit \(limit), got \(bytes.count)")
        }
        #expect(sawNodesGoFirst)
        let query = KRPCMessage(transactionID: [1], kind: .query(KRPCQuery(senderID: Self.querier, method: .ping)))
        #expect(query.encoded(within: 10) == nil)
    }
}
