/// Priorities (0 = skip, 1...7) and deadlines.
extension PiecePicker {
    /// Changes one piece's priority. O(A) when the piece is open (it changes level), else O(1).
    public mutating func setPriority(_ priority: PiecePriority, ofPiece piece: Int) {
        guard availability.priorities[piece] != priority else { return }
        availability.setPriority(priority, ofPiece: piece)
        wanted[piece] = states[piece] != .had && priority.isWanted
        if states[piece] == .missing { availability.open(piece) }
    }

    /// Sets every piece's priority at once (per-file priorities mapped to pieces). O(n + A).
    public mutating func setPriorities(_ priorities: [PiecePriority]) {
        precondition(priorities.count == pieceCount, "\(priorities.count) priorities for \(pieceCount) pieces")
        resetPriorities(priorities)
    }

    // MARK: Deadlines

    /// Gives a piece a deadline: pieces with deadlines are picked before all others, earliest first.
    /// A piece with priority 0 is still never picked. O(D), D = pieces with deadlines.
    public mutating func setDeadline(_ deadline: ContinuousClock.Instant, forPiece piece: Int) {
        precondition(piece >= 0 && piece < pieceCount, "piece \(piece) out of range")
        guard states[piece] != .had else { return }
        clearDeadline(forPiece: piece)
        deadlines[piece] = deadline
        let entry = PieceDeadline(deadline: deadline, piece: piece)
        deadlineQueue.insert(entry, at: insertionIndex(of: entry))
    }

    /// O(D).
    public mutating func clearDeadline(forPiece piece: Int) {
        guard let deadline = deadlines.removeValue(forKey: piece) else { return }
        let index = insertionIndex(of: PieceDeadline(deadline: deadline, piece: piece))
        deadlineQueue.remove(at: index)
    }

    public mutating func clearAllDeadlines() {
        deadlines.removeAll()
        deadlineQueue.removeAll()
    }

    public func deadline(ofPiece piece: Int) -> ContinuousClock.Instant? { deadlines[piece] }

    /// Pieces with deadlines, earliest first.
    public var piecesWithDeadlines: [Int] { deadlineQueue.map(\.piece) }

    /// The pieces not had yet whose deadlines are before `instant`, earliest first. O(result).
    public func missingPieces(dueBefore instant: ContinuousClock.Instant) -> [Int] {
        deadlineQueue.prefix { $0.deadline < instant }.map(\.piece).filter { states[$0] != .had }
    }

    /// The first index whose entry is not before `entry` (binary search).
    private func insertionIndex(of entry: PieceDeadline) -> Int {
        var low = 0
        var high = deadlineQueue.count
        while low < high {
            let middle = (low + high) / 2
            if deadlineQueue[middle] < entry { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
