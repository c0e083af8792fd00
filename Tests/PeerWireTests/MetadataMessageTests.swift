import NIOCore
import Testing

@testable import PeerWire

@Suite struct MetadataMessageTests {
    @Test func encodesTheBEP9Examples() {
        #expect(
            String(decoding: MetadataMessage.request(piece: 0).encoded(), as: UTF8.self) == "d8:msg_typei0e5:piecei0ee")
        #expect(
            String(decoding: MetadataMessage.reject(piece: 1).encoded(), as: UTF8.self) == "d8:msg_typei2e5:piecei1ee")
        let data = MetadataMessage.data(piece: 0, totalSize: 3_425, bytes: Array("xyz".utf8))
        #expect(String(decoding: data.encoded(), as: UTF8.self) == "d8:msg_typei1e5:piecei0e10:total_sizei3425eexyz")
    }

    @Test(arguments: [
        MetadataMessage.request(piece: 0), .request(piece: 1023), .reject(piece: 5),
        .data(piece: 2, totalSize: 40_000, bytes: Array(repeating: 0x65, count: 16_384)),
        .data(piece: 0, totalSize: 1, bytes: [0x64]),
    ])
    func roundTrips(message: MetadataMessage) throws {
        #expect(try MetadataMessage.decode(message.encoded()) == message)
        let extended = message.message(extensionID: 3)
        guard case .extended(let id, let payload) = extended else {
            Issue.record("expected an extended message")
            return
        }
        #expect(id == 3)
        #expect(try MetadataMessage.decode(payload) == message)
    }

    @Test func dataBytesMayStartLikeBencode() throws {
        // The piece itself is bencode (an info dictionary): only the first value is the header.
        let piece = Array("d4:name5:videoe".utf8)
        let decoded = try MetadataMessage.decode(MetadataMessage.data(piece: 0, totalSize: 16, bytes: piece).encoded())
        #expect(decoded == .data(piece: 0, totalSize: 16, bytes: piece))
    }

    @Test func unknownMessageTypesAreIgnored() throws {
        #expect(try MetadataMessage.decode(Array("d8:msg_typei3e5:piecei0ee".utf8)) == nil)
        #expect(try MetadataMessage.decode(Array("d8:msg_typei-1ee".utf8)) == nil)
    }

    @Test func extraKeysAndKeyOrderAreTolerated() throws {
        let payload = Array("d5:piecei4e8:msg_typei0e4:xtrali1eee".utf8)
        #expect(try MetadataMessage.decode(payload) == .request(piece: 4))
    }

    @Test(arguments: [
        ("le", "the message is not a dictionary"),
        ("d5:piecei0ee", "missing 'msg_type'"),
        ("d8:msg_typei0ee", "missing 'piece'"),
        ("d8:msg_type1:05:piecei0ee", "'msg_type' is not an integer"),
        ("d8:msg_typei0e5:piece1:0e", "'piece' is not an integer"),
        ("d8:msg_typei0e5:piecei-1ee", "'piece' -1 is out of range 0...2147483647"),
        ("d8:msg_typei0e5:piecei0eexx", "2 bytes after a request"),
        ("d8:msg_typei2e5:piecei0eex", "1 bytes after a reject"),
        ("d8:msg_typei1e5:piecei0eexyz", "data message without 'total_size'"),
        ("d8:msg_typei1e5:piecei0e10:total_sizei0eexyz", "'total_size' 0 is out of range 1...9223372036854775807"),
        ("d8:msg_typei1e5:piecei0e10:total_sizei5ee", "data message with 0 bytes of metadata"),
        ("d8:msg_typei0e5:piecei0e", "bencode: input ends in the middle of a value at byte 24"),
    ])
    func malformedMessagesAreRefused(payload: String, reason: String) {
        #expect(throws: PeerWireError.invalidMetadataMessage(reason)) {
            try MetadataMessage.decode(Array(payload.utf8))
        }
    }

    @Test func dataLongerThanAMetadataPieceIsRefused() {
        let header = Array("d8:msg_typei1e5:piecei0e10:total_sizei99999ee".utf8)
        #expect(throws: PeerWireError.invalidMetadataMessage("data message with 16385 bytes of metadata")) {
            try MetadataMessage.decode(header + [UInt8](repeating: 0, count: 16_385))
        }
    }

    @Test func pieceArithmetic() {
        #expect(MetadataMessage.pieceCount(forSize: 1) == 1)
        #expect(MetadataMessage.pieceCount(forSize: 16_384) == 1)
        #expect(MetadataMessage.pieceCount(forSize: 16_385) == 2)
        #expect(MetadataMessage.pieceLength(0, forSize: 16_385) == 16_384)
        #expect(MetadataMessage.pieceLength(1, forSize: 16_385) == 1)
        #expect(PeerWireLimits.maximumMetadataPieceCount == 1_024)
    }
}
