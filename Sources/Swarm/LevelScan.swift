import TorrentModel

/// One walk over the open-piece levels for one peer: collects the pieces the peer has, in walk order,
/// until they cover the blocks needed or a budget of positions is used up.
struct LevelScan {
    let pieces: PeerPieces
    let needBlocks: Int
    private var budget: Int
    private(set) var chosen: [Int] = []
    private var blocks = 0
    private(set) var isOverBudget = false

    init(pieces: PeerPieces, needBlocks: Int, budget: Int) {
        self.pieces = pieces
        self.needBlocks = needBlocks
        self.budget = budget
    }

    var isDone: Bool { blocks >= needBlocks || isOverBudget }

    /// Walks `range` of the level from a random position, wrapping around (the random start is the
    /// tie-break among pieces of equal rank). True when the scan is done.
    mutating func walk<Random: RandomNumberGenerator>(
        _ range: Range<Int>, of level: AvailabilityBuckets, geometry: PieceGeometry, random: inout Random
    ) -> Bool {
        guard !range.isEmpty else { return isDone }
        var position = Int.random(in: range, using: &random)
        for _ in 0..<range.count {
            guard budget > 0 else {
                isOverBudget = true
                return true
            }
            budget -= 1
            let piece = Int(level.pieces[position])
            if pieces.contains(piece) {
                chosen.append(piece)
                blocks += geometry.blockCount(inPiece: piece)
                if blocks >= needBlocks { return true }
            }
            position += 1
            if position == range.upperBound { position = range.lowerBound }
        }
        return false
    }
}
