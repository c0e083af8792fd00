import NIOCore
import TestSupport
import Testing
import TorrentModel

@testable import PeerWire

@Suite struct PeerWireParserTests {
    // MARK: Handshake

    @Test func handshakeComesFirst() throws {
        let bytes = Fixtures.handshake.bytes + Fixtures.bytes(.interested)
        let frames = try Fixtures.parse(bytes, expectingHandshake: true)
        #expect(frames == [.handshake(Fixtures.handshake), .message(.interested)])
    }

    @Test func wrongProtocolStringIsRefusedAsSoonAsItDiffers() {
        var parser = PeerWireParser()
        var buffer = ByteBuffer(bytes: Array("\u{13}BitTorrent".utf8))
        #expect(throws: Never.self) { _ = try parser.next(&buffer) }
        buffer.writeBytes(Array(" Protocol".utf8))  // capital P
        #expect(throws: PeerWireError.notBitTorrent(received: Array("\u{13}BitTorrent Protocol".utf8))) {
            _ = try parser.next(&buffer)
        }
    }

    @Test func httpRequestIsRefusedAtTheFirstByte() {
        var parser = PeerWireParser()
        var buffer = ByteBuffer(string: "G")
        #expect(throws: PeerWireError.notBitTorrent(received: [UInt8(ascii: "G")])) { _ = try parser.next(&buffer) }
    }

    @Test func truncatedHandshakeIsReportedAtEndOfStream() {
        let bytes = Array(Fixtures.handshake.bytes.prefix(30))
        #expect(Fixtures.error(parsing: bytes, expectingHandshake: true) == .truncatedHandshake(received: 30))
    }

    @Test func messagesOnlyWhenNoHandshakeIsExpected() throws {
        #expect(try Fixtures.parse(Fixtures.bytes(.choke)) == [.message(.choke)])
        // A handshake where a message is expected reads as a huge length prefix and is refused.
        let error = Fixtures.error(parsing: Fixtures.handshake.bytes)
        #expect(
            error == .messageTooLong(id: nil, length: 0x1342_6974, limit: PeerWireLimits.defaultMaximumMessageLength))
    }

    // MARK: Lengths

    @Test func oversizedMessageIsRefusedFromItsLengthPrefixAlone() {
        var parser = PeerWireParser(expectingHandshake: false)
        let length = PeerWireLimits.defaultMaximumMessageLength + 1
        var buffer = ByteBuffer(bytes: Fixtures.uint32(UInt32(length)))
        #expect(throws: PeerWireError.messageTooLong(id: nil, length: length, limit: length - 1)) {
            _ = try parser.next(&buffer)
        }
    }

    @Test func defaultLimitAdmitsTheLargestBitfieldAndNothingLarger() throws {
        #expect(PeerWireLimits.defaultMaximumMessageLength == 1 + 1_250_000)
        let bitfield = [UInt8](repeating: 0xFF, count: 1_250_000)
        #expect(try Fixtures.parse(Fixtures.raw(id: 5, payload: bitfield)) == [.message(.bitfield(bitfield))])
        let parser = PeerWireParser(expectingHandshake: false, maximumMessageLength: 2_000_000)
        let tooLong = Fixtures.raw(id: 5, payload: bitfield + [0])
        #expect(throws: PeerWireError.messageTooLong(id: .bitfield, length: 1_250_002, limit: 1_250_001)) {
            try Fixtures.parse(chunks: [tooLong], parser: parser)
        }
    }

    @Test func perConnectionLimitFollowsThePieceCount() throws {
        let limit = PeerWireLimits.maximumMessageLength(pieceCount: 1_000)
        #expect(limit == 1 + 1 + 8 * 1024 + 16 * 1024)  // the metadata piece dominates small torrents
        #expect(PeerWireLimits.maximumMessageLength(pieceCount: 8_000_000) == 1_000_001)
        let parser = PeerWireParser(expectingHandshake: false, maximumMessageLength: limit)
        let bitfield = Fixtures.raw(id: 5, payload: [UInt8](repeating: 0, count: limit))
        #expect(throws: PeerWireError.messageTooLong(id: nil, length: limit + 1, limit: limit)) {
            try Fixtures.parse(chunks: [bitfield], parser: parser)
        }
    }

    @Test func limitCanBeLoweredMidStream() throws {
        var parser = PeerWireParser(expectingHandshake: false)
        var buffer = ByteBuffer(bytes: Fixtures.raw(id: 5, payload: [UInt8](repeating: 0, count: 100)))
        #expect(try parser.next(&buffer) == .message(.bitfield([UInt8](repeating: 0, count: 100))))
        parser.maximumMessageLength = 50
        buffer.writeBytes(Fixtures.raw(id: 5, payload: [UInt8](repeating: 0, count: 100)))
        #expect(throws: PeerWireError.messageTooLong(id: nil, length: 101, limit: 50)) { _ = try parser.next(&buffer) }
    }

    @Test(arguments: [PeerMessageID.request, .cancel, .rejectRequest])
    func blockLengthsAreBounded(id: PeerMessageID) throws {
        func message(length: UInt32) -> [UInt8] {
            Fixtures.raw(id: id.rawValue, payload: Fixtures.uint32(1) + Fixtures.uint32(0) + Fixtures.uint32(length))
        }
        #expect(Fixtures.error(parsing: message(length: 0)) == .invalidBlockLength(id: id, length: 0))
        #expect(Fixtures.error(parsing: message(length: 16_385)) == .invalidBlockLength(id: id, length: 16_385))
        #expect(
            Fixtures.error(parsing: message(length: UInt32.max)) == .invalidBlockLength(id: id, length: 0xFFFF_FFFF))
        let frames = try Fixtures.parse(message(length: 16_384))
        let block = BlockRange(piece: 1, offset: 0, length: 16_384)
        let expected: PeerMessage =
            id == .request ? .request(block) : id == .cancel ? .cancel(block) : .rejectRequest(block)
        #expect(frames == [.message(expected)])
    }

    @Test func pieceBlocksAreBounded() throws {
        let header = Fixtures.uint32(0) + Fixtures.uint32(0)
        let oversized = Fixtures.raw(id: 7, payload: header + [UInt8](repeating: 1, count: 16_385))
        #expect(Fixtures.error(parsing: oversized) == .invalidBlockLength(id: .piece, length: 16_385))
        #expect(
            Fixtures.error(parsing: Fixtures.raw(id: 7, payload: header)) == .invalidBlockLength(id: .piece, length: 0))
        #expect(
            Fixtures.error(parsing: Fixtures.raw(id: 7, payload: [0, 0, 0, 0, 0, 0, 0]))
                == .wrongMessageLength(id: .piece, length: 7))
        let full = Fixtures.raw(id: 7, payload: header + [UInt8](repeating: 1, count: 16_384))
        #expect(try Fixtures.parse(full).count == 1)
    }

    @Test func oversizedPieceIsRefusedBeforeItsBlockArrives() {
        var parser = PeerWireParser(expectingHandshake: false)
        var buffer = ByteBuffer(bytes: Fixtures.uint32(1 + 8 + 16_385) + [7])
        #expect(throws: PeerWireError.invalidBlockLength(id: .piece, length: 16_385)) { _ = try parser.next(&buffer) }
    }

    @Test(arguments: [
        (PeerMessageID.choke, 0), (.unchoke, 0), (.interested, 0), (.notInterested, 0), (.have, 4),
        (.request, 12), (.cancel, 12), (.port, 2), (.suggestPiece, 4), (.haveAll, 0), (.haveNone, 0),
        (.rejectRequest, 12), (.allowedFast, 4),
    ])
    func fixedSizeMessagesWithTheWrongLengthAreRefused(id: PeerMessageID, size: Int) throws {
        #expect(id.fixedPayloadLength == size)
        let longer = Fixtures.raw(id: id.rawValue, payload: [UInt8](repeating: 0, count: size + 1))
        #expect(Fixtures.error(parsing: longer) == .wrongMessageLength(id: id, length: size + 1))
        if size > 0 {
            let shorter = Fixtures.raw(id: id.rawValue, payload: [UInt8](repeating: 0, count: size - 1))
            #expect(Fixtures.error(parsing: shorter) == .wrongMessageLength(id: id, length: size - 1))
        }
        // Refused from the header alone, without waiting for the payload.
        var parser = PeerWireParser(expectingHandshake: false)
        var header = ByteBuffer(bytes: Fixtures.uint32(UInt32(size + 2)) + [id.rawValue])
        #expect(throws: PeerWireError.wrongMessageLength(id: id, length: size + 1)) { _ = try parser.next(&header) }
    }

    @Test func extendedMessagesNeedAnExtensionIDAndAreBounded() throws {
        #expect(
            Fixtures.error(parsing: Fixtures.raw(id: 20, payload: [])) == .wrongMessageLength(id: .extended, length: 0))
        let limit = PeerWireLimits.maximumExtendedPayloadLength
        let tooLong = Fixtures.raw(id: 20, payload: [UInt8](repeating: 0, count: limit + 1))
        #expect(Fixtures.error(parsing: tooLong) == .messageTooLong(id: .extended, length: limit + 2, limit: limit + 1))
        let longest = Fixtures.raw(id: 20, payload: [UInt8](repeating: 0, count: limit))
        #expect(try Fixtures.parse(longest).count == 1)
    }

    @Test func errorsDescribeThemselves() {
        #expect(
            PeerWireError.wrongMessageLength(id: .have, length: 3).description
                == "have message with a 3-byte payload (expected 4)")
        #expect(
            PeerWireError.invalidBlockLength(id: .request, length: 0).description
                == "request message for a block of 0 bytes (allowed 1...16384)")
        #expect(
            PeerWireError.messageTooLong(id: nil, length: 9, limit: 8).description
                == "message of 9 bytes exceeds the limit of 8")
        #expect(
            PeerWireError.truncatedMessage(received: 3, expected: 17).description
                == "connection ended after 3 of a 17-byte message")
    }

    // MARK: Unknown IDs and truncation

    @Test func unknownIDsAreSkippedAndParsingContinues() throws {
        let bytes =
            Fixtures.bytes(.have(piece: 1)) + Fixtures.raw(id: 0x42, payload: Array(repeating: 9, count: 10))
            + Fixtures.raw(id: 10, payload: []) + Fixtures.bytes(.choke)
        let frames = try Fixtures.parse(bytes)
        #expect(
            frames == [
                .message(.have(piece: 1)), .unknown(id: 0x42, length: 11), .unknown(id: 10, length: 1),
                .message(.choke),
            ])
    }

    @Test func unknownPayloadIsDiscardedAsItArrivesNotBuffered() throws {
        var parser = PeerWireParser(expectingHandshake: false)
        var buffer = ByteBuffer(bytes: Fixtures.uint32(1 + 100_000) + [0xC8])
        var frames: [PeerWireFrame] = []
        for _ in 0..<10 {
            buffer.writeBytes([UInt8](repeating: 0xAB, count: 10_000))
            if let frame = try parser.next(&buffer) { frames.append(frame) }
            #expect(buffer.readableBytes == 0)
        }
        #expect(frames == [.unknown(id: 0xC8, length: 100_001)])
    }

    @Test func unknownMessagesStillObeyTheLengthLimit() {
        let length = PeerWireLimits.defaultMaximumMessageLength + 1
        #expect(
            Fixtures.error(parsing: Fixtures.uint32(UInt32(length)) + [0x42])
                == .messageTooLong(id: nil, length: length, limit: length - 1))
    }

    @Test func truncatedMessagesAreReportedAtEndOfStream() {
        let have = Fixtures.bytes(.have(piece: 3))
        #expect(Fixtures.error(parsing: Array(have.prefix(2))) == .truncatedMessage(received: 2, expected: 4))
        #expect(Fixtures.error(parsing: Array(have.prefix(4))) == .truncatedMessage(received: 4, expected: 9))
        #expect(Fixtures.error(parsing: Array(have.prefix(7))) == .truncatedMessage(received: 7, expected: 9))
        let unknown = Fixtures.raw(id: 0x42, payload: Array(repeating: 0, count: 20))
        #expect(Fixtures.error(parsing: Array(unknown.prefix(15))) == .truncatedMessage(received: 15, expected: 25))
        #expect(Fixtures.error(parsing: have) == nil)
    }

    @Test func afterAnErrorTheParserKeepsFailing() {
        var parser = PeerWireParser(expectingHandshake: false)
        var buffer = ByteBuffer(bytes: Fixtures.raw(id: 4, payload: [0, 0]))
        let error = PeerWireError.wrongMessageLength(id: .have, length: 2)
        #expect(throws: error) { _ = try parser.next(&buffer) }
        var valid = ByteBuffer(bytes: Fixtures.bytes(.choke))
        #expect(throws: error) { _ = try parser.next(&valid) }
        #expect(throws: error) { try parser.finish(leftover: ByteBuffer()) }
    }

    // MARK: Splitting

    static let stream: [UInt8] = {
        let frames =
            [PeerWireFrame.handshake(Fixtures.handshake)] + Fixtures.everyMessage.map(PeerWireFrame.message)
            + [
                .unknown(id: 0x63, length: 30),
                .message(.piece(index: 1, begin: 0, block: ByteBuffer(bytes: Array(repeating: 5, count: 16_384)))),
            ]
        return Fixtures.bytes(frames)
    }()

    @Test func dripFeedGivesTheSameFramesAsOneBuffer() throws {
        let whole = try Fixtures.parse(Self.stream, expectingHandshake: true)
        #expect(whole.count == 2 + Fixtures.everyMessage.count + 1)
        #expect(whole.first == .handshake(Fixtures.handshake))
        #expect(whole[whole.count - 2] == .unknown(id: 0x63, length: 30))
        let dripped = try Fixtures.parse(chunks: Self.stream.map { [$0] })
        #expect(dripped == whole)
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func randomSplitsGiveTheSameFramesAsOneBuffer(seed: UInt64) throws {
        let whole = try Fixtures.parse(Self.stream, expectingHandshake: true)
        var random = SeededRandom(seed: seed)
        var chunks: [[UInt8]] = []
        var offset = 0
        while offset < Self.stream.count {
            // Mostly small pieces, sometimes large ones, as TCP reads come.
            let size = random.below(4) == 0 ? 1 + random.below(20_000) : 1 + random.below(70)
            let end = min(Self.stream.count, offset + size)
            chunks.append(Array(Self.stream[offset..<end]))
            offset = end
        }
        #expect(chunks.count > 1)
        #expect(try Fixtures.parse(chunks: chunks) == whole)
    }
}
