/// Where pieces and blocks fall in a torrent's byte stream and in its files.
///
/// All files are concatenated in order into one stream of `totalLength` bytes, cut into pieces of
/// `pieceLength` bytes (the last may be shorter), each cut into 16 KiB blocks (the last may be shorter).
public struct PieceGeometry: Hashable, Sendable {
    public let totalLength: Int64
    public let pieceLength: Int

    public init(totalLength: Int64, pieceLength: Int) {
        precondition(totalLength >= 0 && pieceLength > 0, "validated by Metainfo")
        self.totalLength = totalLength
        self.pieceLength = pieceLength
    }

    public var pieceCount: Int {
        totalLength == 0 ? 0 : Int((totalLength - 1) / Int64(pieceLength)) + 1
    }

    /// Length of the last piece: `pieceLength` unless the total is not a multiple of it.
    public var lastPieceLength: Int {
        guard pieceCount > 0 else { return 0 }
        return Int(totalLength - Int64(pieceCount - 1) * Int64(pieceLength))
    }

    public func length(ofPiece index: Int) -> Int {
        precondition(index >= 0 && index < pieceCount, "piece \(index) out of range")
        return index == pieceCount - 1 ? lastPieceLength : pieceLength
    }

    /// The bytes of the stream that a piece covers.
    public func byteRange(ofPiece index: Int) -> Range<Int64> {
        let start = Int64(index) * Int64(pieceLength)
        return start..<(start + Int64(length(ofPiece: index)))
    }

    /// The pieces that hold any byte of `range` (an empty range touches no pieces).
    public func pieces(covering range: Range<Int64>) -> Range<Int> {
        guard !range.isEmpty else { return 0..<0 }
        let first = Int(range.lowerBound / Int64(pieceLength))
        let last = Int((range.upperBound - 1) / Int64(pieceLength))
        return first..<(last + 1)
    }

    // MARK: Blocks

    public func blockCount(inPiece index: Int) -> Int {
        (length(ofPiece: index) + TorrentLimits.blockSize - 1) / TorrentLimits.blockSize
    }

    /// The blocks of a piece as (offset within the piece, length); all 16 KiB but possibly the last.
    public func blocks(inPiece index: Int) -> [BlockRange] {
        let pieceLength = length(ofPiece: index)
        return stride(from: 0, to: pieceLength, by: TorrentLimits.blockSize).map { offset in
            BlockRange(piece: index, offset: offset, length: min(TorrentLimits.blockSize, pieceLength - offset))
        }
    }

    /// True when (offset, length) is exactly one of the piece's blocks, the only requests peers should make.
    public func isValidBlock(piece: Int, offset: Int, length: Int) -> Bool {
        guard piece >= 0 && piece < pieceCount, offset >= 0, offset % TorrentLimits.blockSize == 0 else {
            return false
        }
        let pieceLength = self.length(ofPiece: piece)
        return offset < pieceLength && length == min(TorrentLimits.blockSize, pieceLength - offset)
    }
}

/// One block: a part of a piece as peers request and send it.
public struct BlockRange: Hashable, Sendable {
    public var piece: Int
    public var offset: Int
    public var length: Int

    public init(piece: Int, offset: Int, length: Int) {
        self.piece = piece
        self.offset = offset
        self.length = length
    }
}
