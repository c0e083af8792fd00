import PieceStorage
import Testing
import TorrentModel

@Suite struct PieceAssemblerTests {
    /// Pieces of 40,000 bytes: blocks at 0 and 16384 are 16 KiB, the one at 32768 is 7,232 bytes.
    let geometry = PieceGeometry(totalLength: 100_000, pieceLength: 40_000)

    @Test func collectsBlocksInAnyOrderIntoThePiece() {
        var assembler = PieceAssembler(piece: 1, geometry: geometry)
        #expect(assembler.length == 40_000)
        #expect(assembler.blockCount == 3)
        let data = (0..<40_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        #expect(assembler.add(offset: 32_768, bytes: data[32_768...]) == .added)
        #expect(!assembler.isComplete)
        #expect(assembler.takePiece() == nil)
        #expect(assembler.add(offset: 0, bytes: Array(data[0..<16_384])) == .added)
        #expect(assembler.missingBlocks == [BlockRange(piece: 1, offset: 16_384, length: 16_384)])
        #expect(assembler.hasBlock(at: 0) && !assembler.hasBlock(at: 16_384))
        #expect(assembler.add(offset: 16_384, bytes: data[16_384..<32_768]) == .added)
        #expect(assembler.isComplete)
        #expect(assembler.receivedBlockCount == 3)
        let piece = assembler.takePiece()
        #expect(piece == data)
        // Taking the piece leaves the assembler empty for the next attempt.
        #expect(assembler.receivedBlockCount == 0)
        #expect(assembler.missingBlocks.count == 3)
    }

    @Test func lastPieceHasShorterBlocks() {
        var assembler = PieceAssembler(piece: 2, geometry: geometry)
        #expect(assembler.length == 20_000)
        #expect(
            assembler.missingBlocks == [
                BlockRange(piece: 2, offset: 0, length: 16_384), BlockRange(piece: 2, offset: 16_384, length: 3_616),
            ])
        #expect(
            assembler.add(offset: 16_384, bytes: [UInt8](repeating: 1, count: 16_384))
                == .rejected(.wrongLength(expected: 3_616, received: 16_384)))
        #expect(assembler.add(offset: 16_384, bytes: [UInt8](repeating: 1, count: 3_616)) == .added)
    }

    @Test func refusesBlocksThatDoNotFit() {
        var assembler = PieceAssembler(piece: 0, geometry: geometry)
        let block = [UInt8](repeating: 9, count: 16_384)
        #expect(assembler.add(offset: -16_384, bytes: block) == .rejected(.outOfRange))
        #expect(assembler.add(offset: 40_000, bytes: block) == .rejected(.outOfRange))
        #expect(assembler.add(offset: 49_152, bytes: block) == .rejected(.outOfRange))
        // Overlapping two blocks.
        #expect(assembler.add(offset: 8_192, bytes: block) == .rejected(.misaligned))
        #expect(
            assembler.add(offset: 0, bytes: block.dropLast())
                == .rejected(.wrongLength(expected: 16_384, received: 16_383)))
        #expect(assembler.add(offset: 0, bytes: []) == .rejected(.wrongLength(expected: 16_384, received: 0)))
        #expect(assembler.receivedBlockCount == 0)
    }

    @Test func keepsTheFirstCopyOfADuplicateBlock() {
        let small = PieceGeometry(totalLength: 16_384, pieceLength: 16_384)
        var assembler = PieceAssembler(piece: 0, geometry: small)
        #expect(assembler.add(offset: 0, bytes: [UInt8](repeating: 1, count: 16_384)) == .added)
        #expect(assembler.add(offset: 0, bytes: [UInt8](repeating: 2, count: 16_384)) == .duplicate)
        #expect(assembler.receivedBlockCount == 1)
        let piece = assembler.takePiece()
        #expect(piece == [UInt8](repeating: 1, count: 16_384))
    }

    @Test func resetForgetsBlocks() {
        var assembler = PieceAssembler(piece: 0, geometry: geometry)
        #expect(assembler.add(offset: 0, bytes: [UInt8](repeating: 1, count: 16_384)) == .added)
        assembler.reset()
        #expect(!assembler.hasBlock(at: 0))
        #expect(assembler.add(offset: 0, bytes: [UInt8](repeating: 1, count: 16_384)) == .added)
    }

    @Test func rejectionsReadAsSentences() {
        #expect(BlockRejection.misaligned.description == "block offset not on a 16 KiB boundary")
        #expect(BlockRejection.wrongLength(expected: 5, received: 3).description == "block of 3 bytes, expected 5")
    }
}
