import Testing
import TorrentModel

@Suite("Piece geometry")
struct PieceGeometryTests {
    static let block = TorrentLimits.blockSize

    @Test(
        arguments: [
            (Int64(0), 16_384, 0, 0),
            (1, 16_384, 1, 1),
            (16_383, 16_384, 1, 16_383),
            (16_384, 16_384, 1, 16_384),
            (16_385, 16_384, 2, 1),
            (100_000, 32_768, 4, 1_696),
            (1_048_576, 262_144, 4, 262_144),
            (10, 3, 4, 1),
        ] as [(Int64, Int, Int, Int)])
    func pieceCountAndLastPiece(total: Int64, pieceLength: Int, count: Int, last: Int) {
        let geometry = PieceGeometry(totalLength: total, pieceLength: pieceLength)
        #expect(geometry.pieceCount == count)
        #expect(geometry.lastPieceLength == last)
    }

    @Test func largeTorrentsDoNotOverflow() {
        let geometry = PieceGeometry(totalLength: 1 << 50, pieceLength: 1 << 24)
        #expect(geometry.pieceCount == 1 << 26)
        #expect(geometry.lastPieceLength == 1 << 24)
        #expect(geometry.byteRange(ofPiece: (1 << 26) - 1) == ((1 << 50) - (1 << 24))..<(1 << 50))
        #expect(geometry.pieces(covering: ((1 << 50) - 1)..<(1 << 50)) == ((1 << 26) - 1)..<(1 << 26))
    }

    @Test func pieceLengthsAndRanges() {
        let geometry = PieceGeometry(totalLength: 100_000, pieceLength: 32_768)
        #expect((0..<4).map { geometry.length(ofPiece: $0) } == [32_768, 32_768, 32_768, 1_696])
        #expect(geometry.byteRange(ofPiece: 0) == 0..<32_768)
        #expect(geometry.byteRange(ofPiece: 1) == 32_768..<65_536)
        #expect(geometry.byteRange(ofPiece: 3) == 98_304..<100_000)
    }

    @Test func piecesCoveringARange() {
        let geometry = PieceGeometry(totalLength: 100_000, pieceLength: 32_768)
        #expect(geometry.pieces(covering: 0..<1) == 0..<1)
        #expect(geometry.pieces(covering: 0..<32_768) == 0..<1)
        #expect(geometry.pieces(covering: 0..<32_769) == 0..<2)
        #expect(geometry.pieces(covering: 32_767..<32_769) == 0..<2)
        #expect(geometry.pieces(covering: 32_768..<65_536) == 1..<2)
        #expect(geometry.pieces(covering: 40_000..<99_999) == 1..<4)
        #expect(geometry.pieces(covering: 0..<100_000) == 0..<4)
        #expect(geometry.pieces(covering: 99_999..<100_000) == 3..<4)
        #expect(geometry.pieces(covering: 500..<500).isEmpty)
    }

    @Test func blocksOfAFullPiece() {
        let geometry = PieceGeometry(totalLength: 1 << 20, pieceLength: 65_536)
        #expect(geometry.blockCount(inPiece: 0) == 4)
        #expect(
            geometry.blocks(inPiece: 2) == [
                BlockRange(piece: 2, offset: 0, length: 16_384),
                BlockRange(piece: 2, offset: 16_384, length: 16_384),
                BlockRange(piece: 2, offset: 32_768, length: 16_384),
                BlockRange(piece: 2, offset: 49_152, length: 16_384),
            ])
    }

    @Test func blocksOfAShortLastPiece() {
        // 2 full pieces of 64 KiB and a last piece of 2 blocks + 100 bytes.
        let geometry = PieceGeometry(totalLength: 2 * 65_536 + 2 * 16_384 + 100, pieceLength: 65_536)
        #expect(geometry.pieceCount == 3)
        #expect(geometry.lastPieceLength == 32_868)
        #expect(geometry.blockCount(inPiece: 2) == 3)
        #expect(
            geometry.blocks(inPiece: 2) == [
                BlockRange(piece: 2, offset: 0, length: 16_384),
                BlockRange(piece: 2, offset: 16_384, length: 16_384),
                BlockRange(piece: 2, offset: 32_768, length: 100),
            ])
    }

    @Test func piecesSmallerThanABlock() {
        let geometry = PieceGeometry(totalLength: 25, pieceLength: 10)
        #expect(geometry.blocks(inPiece: 0) == [BlockRange(piece: 0, offset: 0, length: 10)])
        #expect(geometry.blocks(inPiece: 2) == [BlockRange(piece: 2, offset: 0, length: 5)])
        #expect(geometry.blockCount(inPiece: 2) == 1)
        #expect(geometry.isValidBlock(piece: 2, offset: 0, length: 5))
        #expect(!geometry.isValidBlock(piece: 2, offset: 0, length: 10))
    }

    @Test func validBlocks() {
        let geometry = PieceGeometry(totalLength: 2 * 65_536 + 16_384 + 100, pieceLength: 65_536)
        #expect(geometry.isValidBlock(piece: 0, offset: 0, length: Self.block))
        #expect(geometry.isValidBlock(piece: 1, offset: 49_152, length: Self.block))
        #expect(geometry.isValidBlock(piece: 2, offset: 16_384, length: 100))

        #expect(!geometry.isValidBlock(piece: 0, offset: 1, length: Self.block), "misaligned offset")
        #expect(!geometry.isValidBlock(piece: 0, offset: 8_192, length: 8_192), "half block")
        #expect(!geometry.isValidBlock(piece: 0, offset: 0, length: Self.block - 1), "short length")
        #expect(!geometry.isValidBlock(piece: 0, offset: 0, length: Self.block + 1), "long length")
        #expect(!geometry.isValidBlock(piece: 0, offset: 0, length: 0), "empty")
        #expect(!geometry.isValidBlock(piece: 0, offset: 65_536, length: Self.block), "beyond the piece")
        #expect(!geometry.isValidBlock(piece: 0, offset: -16_384, length: Self.block), "negative offset")
        #expect(!geometry.isValidBlock(piece: -1, offset: 0, length: Self.block), "negative piece")
        #expect(!geometry.isValidBlock(piece: 3, offset: 0, length: Self.block), "no such piece")
        #expect(!geometry.isValidBlock(piece: 2, offset: 16_384, length: Self.block), "last block is short")
        #expect(!geometry.isValidBlock(piece: 2, offset: 32_768, length: 100), "beyond the last piece")
    }

    /// Every piece and block of many small geometries, checked against a plain walk of the bytes.
    @Test func piecesAndBlocksTileTheStream() {
        for pieceLength in [1, 7, 16_384, 16_385, 32_768] {
            for total in [Int64(1), 2, 16_383, 16_384, 16_385, 49_151, 49_152, 100_003] {
                let geometry = PieceGeometry(totalLength: total, pieceLength: pieceLength)
                guard geometry.pieceCount <= 200 else { continue }
                var next: Int64 = 0
                for piece in 0..<geometry.pieceCount {
                    let range = geometry.byteRange(ofPiece: piece)
                    #expect(range.lowerBound == next)
                    #expect(range.count == geometry.length(ofPiece: piece))
                    #expect(geometry.pieces(covering: range) == piece..<(piece + 1))
                    let blocks = geometry.blocks(inPiece: piece)
                    #expect(blocks.count == geometry.blockCount(inPiece: piece))
                    var offset = 0
                    for block in blocks {
                        #expect(block.piece == piece && block.offset == offset)
                        #expect(geometry.isValidBlock(piece: piece, offset: block.offset, length: block.length))
                        offset += block.length
                    }
                    #expect(offset == geometry.length(ofPiece: piece))
                    next = range.upperBound
                }
                #expect(next == total)
            }
        }
    }
}
