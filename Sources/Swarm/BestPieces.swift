/// The few best-ranked pieces among many offered, kept sorted: O(log m) per offer that makes the cut.
struct BestPieces {
    /// Lower is better: priority level negated, then availability, then a random tie-break.
    struct Rank: Comparable {
        var level: Int
        var availability: Int
        var tie: UInt64
        var piece: Int

        static func < (lhs: Rank, rhs: Rank) -> Bool {
            (lhs.level, lhs.availability, lhs.tie, lhs.piece) < (rhs.level, rhs.availability, rhs.tie, rhs.piece)
        }
    }

    let capacity: Int
    private(set) var ranks: [Rank] = []

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
        ranks.reserveCapacity(capacity)
    }

    mutating func offer(_ rank: Rank) {
        if ranks.count == capacity {
            guard let worst = ranks.last, rank < worst else { return }
            ranks.removeLast()
        }
        var low = 0
        var high = ranks.count
        while low < high {
            let middle = (low + high) / 2
            if ranks[middle] < rank { low = middle + 1 } else { high = middle }
        }
        ranks.insert(rank, at: low)
    }
}
