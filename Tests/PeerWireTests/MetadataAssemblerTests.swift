import Bencode
import TestSupport
import Testing
import TorrentModel

@testable import PeerWire

@Suite struct MetadataAssemblerTests {
    /// 2,000 piece hashes: an info dictionary of three metadata pieces, the last one short.
    static let infoBytes = Fixtures.infoBytes(pieceCount: 2_000)
    static let infoHash = InfoHash(bytes: ReferenceSHA1.hash(infoBytes))!
    static let source = MetadataSource(infoBytes: infoBytes)

    static func data(_ piece: Int) -> (piece: Int, totalSize: Int, data: [UInt8]) {
        guard case .data(let index, let totalSize, let bytes) = source.response(toPiece: piece) else {
            preconditionFailure("the source has piece \(piece)")
        }
        return (index, totalSize, bytes)
    }

    @Test func fixtureSpansThreeMetadataPieces() {
        #expect(Self.infoBytes.count > 2 * 16_384 && Self.infoBytes.count < 3 * 16_384)
        #expect(Self.source.pieceCount == 3)
        #expect(Self.source.totalSize == Self.infoBytes.count)
    }

    @Test func collectsPiecesInAnyOrderAndBuildsTheTorrent() throws {
        var assembler = try MetadataAssembler(infoHash: Self.infoHash, totalSize: Self.infoBytes.count)
        #expect(assembler.pieceCount == 3)
        #expect(assembler.nextRequest() == 0)
        #expect(assembler.nextRequest() == 1)
        #expect(assembler.nextRequest() == 2)
        #expect(assembler.nextRequest() == nil)
        #expect(assembler.missingPieces == [])

        for piece in [2, 0] {
            let outcome = try assembler.receive(Self.source.response(toPiece: piece))
            guard case .incomplete = outcome else {
                Issue.record("piece \(piece) gave \(outcome)")
                return
            }
        }
        #expect(assembler.receivedPieceCount == 2)
        let outcome = try assembler.receive(Self.source.response(toPiece: 1))
        guard case .complete(let metainfo) = outcome else {
            Issue.record("expected the torrent, got \(outcome)")
            return
        }
        #expect(metainfo.infoHash == Self.infoHash)
        #expect(metainfo.infoBytes == Self.infoBytes)
        #expect(metainfo.name == "video.mp4")
        #expect(metainfo.pieceCount == 2_000)
        #expect(metainfo.totalLength == 2_000 * 16_384 - 100)
    }

    @Test func hashMismatchDiscardsEverythingAndStartsOver() throws {
        var assembler = try MetadataAssembler(infoHash: Self.infoHash, totalSize: Self.infoBytes.count)
        var corrupt = Self.data(1)
        corrupt.data[100] ^= 0x01
        _ = try assembler.receive(piece: 0, totalSize: Self.infoBytes.count, data: Self.data(0).data)
        _ = try assembler.receive(piece: 1, totalSize: corrupt.totalSize, data: corrupt.data)
        let outcome = try assembler.receive(piece: 2, totalSize: Self.infoBytes.count, data: Self.data(2).data)
        guard case .hashMismatch = outcome else {
            Issue.record("expected a mismatch, got \(outcome)")
            return
        }
        #expect(assembler.receivedPieceCount == 0)
        #expect(assembler.missingPieces == [0, 1, 2])
        #expect(assembler.nextRequest() == 0)

        var last: MetadataAssembler.Outcome = .incomplete
        for piece in 0..<3 { last = try assembler.receive(Self.source.response(toPiece: piece)) }
        guard case .complete(let metainfo) = last else {
            Issue.record("expected the torrent after the retry, got \(last)")
            return
        }
        #expect(metainfo.infoHash == Self.infoHash)
    }

    @Test func rejectReleasesThePieceForAnotherPeer() throws {
        var assembler = try MetadataAssembler(infoHash: Self.infoHash, totalSize: Self.infoBytes.count)
        #expect(assembler.nextRequest() == 0)
        #expect(assembler.nextRequest() == 1)
        _ = try assembler.receive(.reject(piece: 0))
        #expect(assembler.missingPieces == [0, 2])
        #expect(assembler.nextRequest() == 0)
        assembler.requestFailed(piece: 1)  // a timeout
        #expect(assembler.missingPieces == [1, 2])
        // A request from the peer, or a reject for something never requested, changes nothing.
        _ = try assembler.receive(.request(piece: 2))
        _ = try assembler.receive(.reject(piece: 2))
        _ = try assembler.receive(.reject(piece: 99))
        #expect(assembler.missingPieces == [1, 2])
    }

    @Test func receivedPiecesAreNotReleasedOrOverwritten() throws {
        var assembler = try MetadataAssembler(infoHash: Self.infoHash, totalSize: Self.infoBytes.count)
        _ = try assembler.receive(Self.source.response(toPiece: 0))
        assembler.requestFailed(piece: 0)
        #expect(assembler.missingPieces == [1, 2])
        // A second copy of piece 0, even a different one, is ignored: the first is kept.
        var other = Self.data(0)
        other.data[0] ^= 0xFF
        _ = try assembler.receive(piece: 0, totalSize: other.totalSize, data: other.data)
        _ = try assembler.receive(Self.source.response(toPiece: 1))
        let outcome = try assembler.receive(Self.source.response(toPiece: 2))
        guard case .complete = outcome else {
            Issue.record("expected the torrent, got \(outcome)")
            return
        }
    }

    @Test func piecesThatDoNotFitAreRefusedAndReleased() throws {
        let size = Self.infoBytes.count
        var assembler = try MetadataAssembler(infoHash: Self.infoHash, totalSize: size)
        #expect(assembler.nextRequest() == 0)
        #expect(assembler.nextRequest() == 1)
        #expect(assembler.nextRequest() == 2)
        #expect(throws: PeerWireError.invalidMetadataPiece("piece 3 of metadata with 3 pieces")) {
            try assembler.receive(piece: 3, totalSize: size, data: [1])
        }
        #expect(throws: PeerWireError.invalidMetadataPiece("total size 99, announced as \(size)")) {
            try assembler.receive(piece: 0, totalSize: 99, data: Self.data(0).data)
        }
        #expect(throws: PeerWireError.invalidMetadataPiece("piece 2 has 16384 bytes, expected \(size - 32_768)")) {
            try assembler.receive(piece: 2, totalSize: size, data: [UInt8](repeating: 0, count: 16_384))
        }
        #expect(throws: PeerWireError.invalidMetadataPiece("piece 1 has 10 bytes, expected 16384")) {
            try assembler.receive(piece: 1, totalSize: size, data: [UInt8](repeating: 0, count: 10))
        }
        #expect(assembler.missingPieces == [0, 1, 2])
        #expect(assembler.receivedPieceCount == 0)
    }

    @Test(arguments: [0, -1, PeerWireLimits.maximumMetadataSize + 1, Int.max])
    func unreasonableSizesAreRefused(size: Int) {
        #expect(throws: PeerWireError.metadataSizeRefused(size)) {
            try MetadataAssembler(infoHash: Self.infoHash, totalSize: size)
        }
    }

    @Test func largestSizeIsAccepted() throws {
        let assembler = try MetadataAssembler(infoHash: Self.infoHash, totalSize: PeerWireLimits.maximumMetadataSize)
        #expect(assembler.pieceCount == 1_024)
        #expect(PeerWireLimits.maximumMetadataSize == 16 * 1024 * 1024)
    }

    @Test func matchingHashOfSomethingThatIsNotATorrentIsRefused() throws {
        let bytes = BencodeEncoder.encode(["name": "x"])
        var assembler = try MetadataAssembler(infoHash: InfoHash(hashingInfo: bytes), totalSize: bytes.count)
        let outcome = try assembler.receive(MetadataSource(infoBytes: bytes).response(toPiece: 0))
        guard case .refused(let error) = outcome else {
            Issue.record("expected a refusal, got \(outcome)")
            return
        }
        #expect(error == .missingKey("info.piece length"))
    }
}

@Suite struct MetadataSourceTests {
    @Test func servesEveryPieceAndRejectsTheRest() {
        let bytes = Fixtures.infoBytes(pieceCount: 2_000, seed: 5)
        let source = MetadataSource(infoBytes: bytes)
        var joined: [UInt8] = []
        for piece in 0..<source.pieceCount {
            guard case .data(let index, let totalSize, let data) = source.response(toPiece: piece) else {
                Issue.record("piece \(piece) was not served")
                return
            }
            #expect(index == piece && totalSize == bytes.count)
            #expect(data.count == (piece < 2 ? 16_384 : bytes.count - 32_768))
            joined += data
        }
        #expect(joined == bytes)
        #expect(source.response(toPiece: 3) == .reject(piece: 3))
        #expect(source.response(toPiece: 1_000_000) == .reject(piece: 1_000_000))
    }

    @Test func servedMessagesSurviveTheWire() throws {
        let source = MetadataSource(infoBytes: Fixtures.infoBytes(pieceCount: 10))
        let message = source.response(toPiece: 0).message(extensionID: MetadataMessage.localExtensionID)
        let frames = try Fixtures.parse(Fixtures.bytes(message))
        guard case .message(.extended(let id, let payload)) = frames.first else {
            Issue.record("expected an extended message, got \(frames)")
            return
        }
        #expect(id == 2)
        #expect(try MetadataMessage.decode(payload) == source.response(toPiece: 0))
    }
}
