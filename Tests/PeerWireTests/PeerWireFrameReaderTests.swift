import NIOCore
import NIOEmbedded
import Testing
import TorrentModel

@testable import PeerWire

@Suite struct PeerWireFrameReaderTests {
    /// A handshake, one of every message, an unknown ID and a few full-size blocks: every frame kind, some of
    /// them larger than a typical read.
    static let stream: [PeerWireFrame] =
        [.handshake(Fixtures.handshake)] + Fixtures.everyMessage.map(PeerWireFrame.message)
        + [.unknown(id: 0x77, length: 40)]
        + (0..<3).map { index in
            .message(
                .piece(
                    index: index, begin: 16_384,
                    block: ByteBuffer(bytes: (0..<16_384).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ index) })))
        } + [.message(.have(piece: 1))]

    /// Feeds `bytes` cut at `cuts` and returns every frame the reader passed on, in order.
    private func frames(of bytes: [UInt8], cutAt cuts: [Int]) throws -> [PeerWireFrame] {
        let channel = EmbeddedChannel(handler: PeerWireFrameReader())
        var start = 0
        var received: [PeerWireFrame] = []
        for end in cuts + [bytes.count] where end > start {
            try channel.writeInbound(ByteBuffer(bytes: bytes[start..<end]))
            while let batch = try channel.readInbound(as: [PeerWireFrame].self) { received += batch }
            start = end
        }
        #expect(try channel.finish().isClean)
        return received
    }

    @Test func wholeStreamInOneRead() throws {
        #expect(try frames(of: Fixtures.bytes(Self.stream), cutAt: []) == Self.stream)
    }

    @Test func oneByteAtATime() throws {
        let bytes = Fixtures.bytes(Self.stream)
        #expect(try frames(of: bytes, cutAt: Array(1..<bytes.count)) == Self.stream)
    }

    @Test(arguments: [3, 5, 13, 68, 1_000, 4_096, 16_397, 20_000])
    func readsOfOneSize(size: Int) throws {
        let bytes = Fixtures.bytes(Self.stream)
        #expect(try frames(of: bytes, cutAt: Array(stride(from: size, to: bytes.count, by: size))) == Self.stream)
    }

    @Test func randomCuts() throws {
        let bytes = Fixtures.bytes(Self.stream)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let cuts = (0..<Int.random(in: 1...40, using: &generator)).map { _ in
                Int.random(in: 1..<bytes.count, using: &generator)
            }
            #expect(try frames(of: bytes, cutAt: Set(cuts).sorted()) == Self.stream)
        }
    }

    @Test func framesOfOneReadArriveAsOneBatch() throws {
        let channel = EmbeddedChannel(handler: PeerWireFrameReader(expectingHandshake: false))
        let messages: [PeerMessage] = [.unchoke, .have(piece: 1), .have(piece: 2)]
        try channel.writeInbound(ByteBuffer(bytes: messages.flatMap(Fixtures.bytes)))
        #expect(try channel.readInbound(as: [PeerWireFrame].self) == messages.map(PeerWireFrame.message))
        #expect(try channel.readInbound(as: [PeerWireFrame].self) == nil)
        #expect(try channel.finish().isClean)
    }

    @Test func longReadsArriveInBatchesOfAtMostTheMaximum() throws {
        let channel = EmbeddedChannel(handler: PeerWireFrameReader(expectingHandshake: false))
        let count = PeerWireFrameReader.maximumBatch * 2 + 7
        let messages = (0..<count).map { PeerMessage.have(piece: $0) }
        try channel.writeInbound(ByteBuffer(bytes: messages.flatMap(Fixtures.bytes)))
        var sizes: [Int] = []
        var received: [PeerWireFrame] = []
        while let batch = try channel.readInbound(as: [PeerWireFrame].self) {
            sizes.append(batch.count)
            received += batch
        }
        #expect(sizes == [PeerWireFrameReader.maximumBatch, PeerWireFrameReader.maximumBatch, 7])
        #expect(received == messages.map(PeerWireFrame.message))
        #expect(try channel.finish().isClean)
    }

    @Test func aBlockInOneReadIsASliceOfThatRead() throws {
        let channel = EmbeddedChannel(handler: PeerWireFrameReader(expectingHandshake: false))
        let read = ByteBuffer(
            bytes: Fixtures.bytes(
                .piece(index: 1, begin: 0, block: ByteBuffer(bytes: Array(repeating: 9, count: 4_000)))))
        try channel.writeInbound(read)
        let batch = try #require(try channel.readInbound(as: [PeerWireFrame].self))
        guard case .message(.piece(_, _, let block)) = batch.first else {
            Issue.record("expected a piece message, got \(batch)")
            return
        }
        // The block's bytes start 13 bytes into the read's own storage: nothing was copied.
        let readStart = read.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        let blockStart = block.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        #expect(blockStart == readStart + 13)
        #expect(try channel.finish().isClean)
    }

    @Test func malformedInputFiresTheErrorAndIgnoresTheRest() throws {
        let channel = EmbeddedChannel(handler: PeerWireFrameReader(expectingHandshake: false))
        let zeroRequest = Fixtures.raw(id: 6, payload: Fixtures.uint32(0) + Fixtures.uint32(0) + Fixtures.uint32(0))
        #expect(throws: PeerWireError.invalidBlockLength(id: .request, length: 0)) {
            try channel.writeInbound(ByteBuffer(bytes: Fixtures.bytes(.choke) + zeroRequest))
        }
        #expect(try channel.readInbound(as: [PeerWireFrame].self) == [.message(.choke)])
        try channel.writeInbound(ByteBuffer(bytes: Fixtures.bytes(.unchoke)))
        #expect(try channel.readInbound(as: [PeerWireFrame].self) == nil)
        _ = try? channel.finish()
    }

    @Test func wrongProtocolFiresTheError() throws {
        let channel = EmbeddedChannel(handler: PeerWireFrameReader())
        #expect(throws: PeerWireError.notBitTorrent(received: Array("GET ".utf8))) {
            try channel.writeInbound(ByteBuffer(string: "GET "))
        }
        _ = try? channel.finish()
    }

    @Test func oversizedLengthIsRefusedBeforeItsPayloadArrives() throws {
        let channel = EmbeddedChannel(
            handler: PeerWireFrameReader(expectingHandshake: false, maximumMessageLength: 100))
        #expect(throws: PeerWireError.messageTooLong(id: nil, length: 1_000_000, limit: 100)) {
            try channel.writeInbound(ByteBuffer(bytes: Fixtures.uint32(1_000_000)))
        }
        _ = try? channel.finish()
    }

    @Test func hangingUpMidBlockIsReported() throws {
        let channel = EmbeddedChannel(handler: PeerWireFrameReader(expectingHandshake: false))
        let bytes = Fixtures.bytes(
            .piece(index: 0, begin: 0, block: ByteBuffer(bytes: Array(repeating: 1, count: 100))))
        try channel.writeInbound(ByteBuffer(bytes: bytes.prefix(50)))
        #expect(throws: PeerWireError.truncatedMessage(received: 50, expected: bytes.count)) {
            _ = try channel.finish()
        }
    }

    @Test func hangingUpMidHandshakeIsReported() throws {
        let channel = EmbeddedChannel(handler: PeerWireFrameReader())
        try channel.writeInbound(ByteBuffer(bytes: Fixtures.handshake.bytes.prefix(25)))
        #expect(throws: PeerWireError.truncatedHandshake(received: 25)) { _ = try channel.finish() }
    }

    @Test func hangingUpBetweenMessagesIsClean() throws {
        let channel = EmbeddedChannel(handler: PeerWireFrameReader(expectingHandshake: false))
        try channel.writeInbound(ByteBuffer(bytes: Fixtures.bytes(.interested)))
        #expect(try channel.readInbound(as: [PeerWireFrame].self) == [.message(.interested)])
        #expect(try channel.finish().isClean)
    }
}
