import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing
import TorrentModel

@testable import PeerWire

@Suite struct PeerWireCodecTests {
    @Test func decoderPassesTheNIOVerifier() throws {
        let messages =
            Fixtures.everyMessage + [
                .piece(index: 0, begin: 16_384, block: ByteBuffer(bytes: Array(repeating: 3, count: 1_000)))
            ]
        var pairs = messages.map { (ByteBuffer(bytes: Fixtures.bytes($0)), [PeerWireFrame.message($0)]) }
        pairs.append((ByteBuffer(bytes: Fixtures.raw(id: 0x50, payload: [1, 2, 3])), [.unknown(id: 0x50, length: 4)]))
        let twoAtOnce = Fixtures.bytes(.have(piece: 1)) + Fixtures.bytes(.have(piece: 2))
        pairs.append((ByteBuffer(bytes: twoAtOnce), [.message(.have(piece: 1)), .message(.have(piece: 2))]))
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) {
            PeerWireDecoder(expectingHandshake: false)
        }
    }

    @Test func channelDecodesAHandshakeThenMessages() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(PeerWireDecoder()))
        let bytes = Fixtures.handshake.bytes + Fixtures.bytes(.haveAll) + Fixtures.bytes(.unchoke)
        // Arrives in three reads that cut through the handshake and the first message.
        try channel.writeInbound(ByteBuffer(bytes: bytes[0..<40]))
        #expect(try channel.readInbound(as: PeerWireFrame.self) == nil)
        try channel.writeInbound(ByteBuffer(bytes: bytes[40..<70]))
        #expect(try channel.readInbound(as: PeerWireFrame.self) == .handshake(Fixtures.handshake))
        #expect(try channel.readInbound(as: PeerWireFrame.self) == nil)
        try channel.writeInbound(ByteBuffer(bytes: bytes[70...]))
        #expect(try channel.readInbound(as: PeerWireFrame.self) == .message(.haveAll))
        #expect(try channel.readInbound(as: PeerWireFrame.self) == .message(.unchoke))
        #expect(try channel.finish().isClean)
    }

    @Test func malformedInputFiresThePeerWireError() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(PeerWireDecoder(expectingHandshake: false)))
        let zeroRequest = Fixtures.raw(id: 6, payload: Fixtures.uint32(0) + Fixtures.uint32(0) + Fixtures.uint32(0))
        #expect(throws: PeerWireError.invalidBlockLength(id: .request, length: 0)) {
            try channel.writeInbound(ByteBuffer(bytes: Fixtures.bytes(.choke) + zeroRequest))
        }
        #expect(try channel.readInbound(as: PeerWireFrame.self) == .message(.choke))
        _ = try? channel.finish()
    }

    @Test func wrongProtocolFiresThePeerWireError() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(PeerWireDecoder()))
        #expect(throws: PeerWireError.notBitTorrent(received: Array("GET ".utf8))) {
            try channel.writeInbound(ByteBuffer(string: "GET "))
        }
        _ = try? channel.finish()
    }

    @Test func hangingUpMidHandshakeIsReported() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(PeerWireDecoder()))
        try channel.writeInbound(ByteBuffer(bytes: Fixtures.handshake.bytes.prefix(25)))
        #expect(throws: PeerWireError.truncatedHandshake(received: 25)) { _ = try channel.finish() }
    }

    @Test func hangingUpBetweenMessagesIsClean() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(PeerWireDecoder(expectingHandshake: false)))
        try channel.writeInbound(ByteBuffer(bytes: Fixtures.bytes(.interested)))
        #expect(try channel.readInbound(as: PeerWireFrame.self) == .message(.interested))
        #expect(try channel.finish().isClean)
    }

    @Test func encoderWritesFrames() throws {
        let channel = EmbeddedChannel(handler: PeerWireEncoder())
        try channel.writeOutbound(PeerWireFrame.handshake(Fixtures.handshake))
        try channel.writeOutbound(PeerWireFrame.message(.have(piece: 9)))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(bytes: Fixtures.handshake.bytes))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(bytes: [0, 0, 0, 5, 4, 0, 0, 0, 9]))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        #expect(try channel.finish().isClean)
    }

    @Test func encoderSendsAPieceBlockWithoutCopyingIt() throws {
        let channel = EmbeddedChannel(handler: PeerWireEncoder())
        let block = ByteBuffer(bytes: Array(repeating: 0xEE, count: 16_384))
        try channel.writeOutbound(PeerWireFrame.message(.piece(index: 5, begin: 32_768, block: block)))
        let header = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(
            header == ByteBuffer(bytes: Fixtures.uint32(16_393) + [7] + Fixtures.uint32(5) + Fixtures.uint32(32_768)))
        let body = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(body == block)
        // The same storage: reading the block's bytes yields the original allocation's address.
        let original = block.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        let sent = body.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        #expect(original == sent)
        #expect(try channel.finish().isClean)
    }

    @Test func encoderOutputDecodesToTheSameFrames() throws {
        let sender = EmbeddedChannel(handler: PeerWireEncoder())
        let receiver = EmbeddedChannel(handler: ByteToMessageHandler(PeerWireDecoder()))
        let frames =
            [PeerWireFrame.handshake(Fixtures.handshake)] + Fixtures.everyMessage.map(PeerWireFrame.message)
            + [.unknown(id: 0x99, length: 7)]
        for frame in frames { try sender.writeOutbound(frame) }
        while let buffer = try sender.readOutbound(as: ByteBuffer.self) { try receiver.writeInbound(buffer) }
        var received: [PeerWireFrame] = []
        while let frame = try receiver.readInbound(as: PeerWireFrame.self) { received.append(frame) }
        #expect(received == frames)
        #expect(try sender.finish().isClean)
        #expect(try receiver.finish().isClean)
    }
}
