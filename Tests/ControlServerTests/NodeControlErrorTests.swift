import Foundation
import NodeAPI
import Testing

@Suite struct NodeControlErrorTests {
    static let all: [NodeControlError] = [
        .unknownTorrent(reference: "abcdef"),
        .ambiguousReference(
            reference: "abcdef",
            matches: ["abcdef" + String(repeating: "0", count: 34), "abcdef" + String(repeating: "1", count: 34)]),
        .alreadyAdded(infoHash: String(repeating: "ab", count: 20)),
        .invalidInput("magnet link has no 'xt=urn:btih:' infohash"),
        .notAllowed("refused a request for Host 'evil.example'"),
        .internalFailure("disk full"),
    ]

    @Test(arguments: all)
    func roundTripsThroughTheJSONErrorBody(error: NodeControlError) throws {
        let data = try NodeAPIJSON.makeEncoder().encode(error)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["error"] as? String == error.code)
        #expect(object["message"] as? String == error.description)
        #expect(try NodeAPIJSON.makeDecoder().decode(NodeControlError.self, from: data) == error)
        #expect(NodeControlError(body: error.body) == error)
    }

    @Test func codesAndMessages() {
        #expect(NodeControlError.unknownTorrent(reference: "abcdef").code == "unknownTorrent")
        #expect(NodeControlError.unknownTorrent(reference: "abcdef").description == "no torrent matches 'abcdef'")
        #expect(NodeControlError.alreadyAdded(infoHash: "ab").description == "torrent ab is already in the library")
        #expect(NodeControlError.invalidInput("bad").description == "bad")
        let many = (0..<8).map { "abcdef\($0)" }
        let message = NodeControlError.ambiguousReference(reference: "abcdef", matches: many).description
        #expect(message.hasPrefix("'abcdef' matches 8 torrents (abcdef0, abcdef1, abcdef2, abcdef3, abcdef4, …)"))
        #expect(!message.contains("abcdef5"))
        for error in Self.all { #expect(!error.description.contains("\n")) }
    }

    @Test func aBodyWithAnUnknownCodeIsNoNodeError() throws {
        let body = APIErrorBody(error: "notFound", message: "no route")
        #expect(NodeControlError(body: body) == nil)
        let data = try NodeAPIJSON.makeEncoder().encode(body)
        #expect(throws: DecodingError.self) { try NodeAPIJSON.makeDecoder().decode(NodeControlError.self, from: data) }
    }

    @Test func theBodyLeavesOutFieldsACodeDoesNotUse() throws {
        let data = try NodeAPIJSON.makeEncoder().encode(NodeControlError.invalidInput("bad JSON"))
        #expect(String(decoding: data, as: UTF8.self) == #"{"error":"invalidInput","message":"bad JSON"}"#)
    }
}
