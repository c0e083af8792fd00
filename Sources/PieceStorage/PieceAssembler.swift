import TorrentModel

/// Collects the 16 KiB blocks of one piece in memory until all have arrived, then hands the whole
/// piece to `PieceStore.writeVerifiedPiece`. Pure: no I/O, no hashing.
///
/// Only the exact blocks of `PieceGeometry.blocks(inPiece:)` are taken: a block at an offset that
/// is not a block boundary, past the piece, or of another length is refused, and so is a second copy
/// of a block (in endgame two peers may send the same block; the first one wins).
public struct PieceAssembler: Sendable {
    public let piece: Int
    public let length: Int
    private var bytes: [UInt8]
    private var received: [Bool]
    public private(set) var receivedBlockCount = 0

    public init(piece: Int, geometry: PieceGeometry) {
        self.piece = piece
        length = geometry.length(ofPiece: piece)
        bytes = Self.buffer(length)
        received = [Bool](repeating: false, count: geometry.blockCount(inPiece: piece))
    }

    public var blockCount: Int { received.count }
    public var isComplete: Bool { receivedBlockCount == received.count }

    /// The blocks still to come, in order.
    public var missingBlocks: [BlockRange] {
        received.indices.filter { !received[$0] }.map(blockRange)
    }

    public func hasBlock(at offset: Int) -> Bool {
        guard let index = blockIndex(offset) else { return false }
        return received[index]
    }

    /// Stores one block's bytes.
    public mutating func add(offset: Int, bytes block: some Collection<UInt8>) -> BlockAddResult {
        guard offset >= 0 && offset < length else { return .rejected(.outOfRange) }
        guard let index = blockIndex(offset) else { return .rejected(.misaligned) }
        let expected = blockRange(index).length
        guard block.count == expected else { return .rejected(.wrongLength(expected: expected, received: block.count)) }
        guard !received[index] else { return .duplicate }
        if bytes.isEmpty { bytes = Self.buffer(length) }
        // Contiguous input (arrays, raw buffers) is copied in one go.
        let copied: Void? = block.withContiguousStorageIfAvailable { source in
            bytes.replaceSubrange(offset..<(offset + expected), with: source)
        }
        if copied == nil { bytes.replaceSubrange(offset..<(offset + expected), with: block) }
        received[index] = true
        receivedBlockCount += 1
        return .added
    }

    /// Forgets every block, e.g. after the piece failed its hash check.
    public mutating func reset() {
        received = [Bool](repeating: false, count: received.count)
        receivedBlockCount = 0
    }

    /// The piece's bytes once complete (nil before), leaving the assembler empty.
    public mutating func takePiece() -> [UInt8]? {
        guard isComplete else { return nil }
        defer { reset() }
        let piece = bytes
        // Empty until a block arrives again: an assembler is usually dropped after its piece is taken.
        bytes = []
        return piece
    }

    /// A buffer for a piece. Not zeroed: only complete pieces leave, so every byte is written first.
    private static func buffer(_ length: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: length) { _, initialized in initialized = length }
    }

    private func blockIndex(_ offset: Int) -> Int? {
        guard offset >= 0, offset % TorrentLimits.blockSize == 0 else { return nil }
        let index = offset / TorrentLimits.blockSize
        return index < received.count ? index : nil
    }

    private func blockRange(_ index: Int) -> BlockRange {
        let offset = index * TorrentLimits.blockSize
        return BlockRange(piece: piece, offset: offset, length: min(TorrentLimits.blockSize, length - offset))
    }
}

/// What `PieceAssembler.add` did with a block.
public enum BlockAddResult: Equatable, Sendable {
    case added
    /// The block was already there; the new copy was dropped.
    case duplicate
    case rejected(BlockRejection)
}

/// Why a block does not belong to the piece.
public enum BlockRejection: Equatable, Sendable, CustomStringConvertible {
    /// The offset lies outside the piece.
    case outOfRange
    /// The offset is inside the piece but not on a 16 KiB block boundary, so it overlaps blocks.
    case misaligned
    case wrongLength(expected: Int, received: Int)

    public var description: String {
        switch self {
        case .outOfRange: return "block offset outside the piece"
        case .misaligned: return "block offset not on a 16 KiB boundary"
        case .wrongLength(let expected, let received): return "block of \(received) bytes, expected \(expected)"
        }
    }
}
