import NIOCore
import Testing
import TorrentModel

@testable import PeerWire

@Suite struct PeerMessageTests {
    @Test(arguments: Fixtures.everyMessage)
    func roundTripsThroughTheParser(message: PeerMessage) throws {
        let bytes = Fixtures.bytes(message)
        #expect(bytes.count == message.encodedLength)
        let frames = try Fixtures.parse(bytes)
        #expect(frames == [.message(message)])
    }

    @Test func allMessagesInOneStreamAfterAHandshake() throws {
        let frames = [PeerWireFrame.handshake(Fixtures.handshake)] + Fixtures.everyMessage.map(PeerWireFrame.message)
        let parsed = try Fixtures.parse(Fixtures.bytes(frames), expectingHandshake: true)
        #expect(parsed == frames)
    }

    @Test func exactWireBytes() {
        #expect(Fixtures.bytes(.keepAlive) == [0, 0, 0, 0])
        #expect(Fixtures.bytes(.choke) == [0, 0, 0, 1, 0])
        #expect(Fixtures.bytes(.unchoke) == [0, 0, 0, 1, 1])
        #expect(Fixtures.bytes(.interested) == [0, 0, 0, 1, 2])
        #expect(Fixtures.bytes(.notInterested) == [0, 0, 0, 1, 3])
        #expect(Fixtures.bytes(.have(piece: 0x0102_0304)) == [0, 0, 0, 5, 4, 1, 2, 3, 4])
        #expect(Fixtures.bytes(.bitfield([0xA0, 0x01])) == [0, 0, 0, 3, 5, 0xA0, 0x01])
        #expect(
            Fixtures.bytes(.request(BlockRange(piece: 1, offset: 0x4000, length: 0x4000)))
                == [0, 0, 0, 13, 6, 0, 0, 0, 1, 0, 0, 0x40, 0, 0, 0, 0x40, 0])
        #expect(
            Fixtures.bytes(.piece(index: 2, begin: 3, block: ByteBuffer(bytes: [9, 8])))
                == [0, 0, 0, 11, 7, 0, 0, 0, 2, 0, 0, 0, 3, 9, 8])
        #expect(
            Fixtures.bytes(.cancel(BlockRange(piece: 1, offset: 2, length: 3)))
                == [0, 0, 0, 13, 8, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3])
        #expect(Fixtures.bytes(.port(0x1AE1)) == [0, 0, 0, 3, 9, 0x1A, 0xE1])
        #expect(Fixtures.bytes(.suggestPiece(5)) == [0, 0, 0, 5, 0x0D, 0, 0, 0, 5])
        #expect(Fixtures.bytes(.haveAll) == [0, 0, 0, 1, 0x0E])
        #expect(Fixtures.bytes(.haveNone) == [0, 0, 0, 1, 0x0F])
        #expect(
            Fixtures.bytes(.rejectRequest(BlockRange(piece: 1, offset: 2, length: 3)))
                == [0, 0, 0, 13, 0x10, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3])
        #expect(Fixtures.bytes(.allowedFast(6)) == [0, 0, 0, 5, 0x11, 0, 0, 0, 6])
        #expect(
            Fixtures.bytes(.extended(id: 2, payload: ByteBuffer(bytes: [0x64, 0x65]))) == [
                0, 0, 0, 4, 20, 2, 0x64, 0x65,
            ])
    }

    @Test func idsMatchTheBEPs() {
        let ids = Fixtures.everyMessage.compactMap { $0.id?.rawValue }
        #expect(ids == [0, 1, 2, 3, 4, 5, 5, 6, 7, 8, 9, 0x0D, 0x0E, 0x0F, 0x10, 0x11, 20, 20])
        #expect(PeerMessage.keepAlive.id == nil)
        #expect(PeerMessageID(rawValue: 10).isKnown == false)
        #expect(PeerMessageID(rawValue: 0x11).isKnown)
        #expect(PeerMessageID(rawValue: 42).description == "unknown (ID 42)")
    }

    @Test func pieceBlockIsASliceOfTheReceiveBuffer() throws {
        let message = PeerMessage.piece(
            index: 1, begin: 0, block: ByteBuffer(bytes: Array(repeating: 7, count: 16_384)))
        var buffer = ByteBuffer(bytes: Fixtures.bytes(message))
        var parser = PeerWireParser(expectingHandshake: false)
        let frame = try #require(try parser.next(&buffer))
        guard case .message(.piece(let index, let begin, let block)) = frame else {
            Issue.record("expected a piece, got \(frame)")
            return
        }
        #expect(index == 1 && begin == 0 && block.readableBytes == 16_384)
        #expect(block.readableBytesView.allSatisfy { $0 == 7 })
        #expect(buffer.readableBytes == 0)
    }

    @Test func descriptionsSummariseData() {
        let piece = PeerMessage.piece(
            index: 4, begin: 16_384, block: ByteBuffer(bytes: Array(repeating: 0, count: 500)))
        #expect(piece.description == "piece 4+16384 (500 bytes)")
        #expect(PeerMessage.notInterested.description == "not interested")
        #expect(PeerMessage.bitfield([1, 2]).description == "bitfield (2 bytes)")
        #expect(
            PeerWireFrame.unknown(id: 0x42, length: 10).description == "unknown message ID 66 (10 bytes)")
    }
}
