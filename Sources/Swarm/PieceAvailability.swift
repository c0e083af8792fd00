import TorrentModel

/// How many peers have each piece, each piece's priority, and the open pieces (missing, wanted, nothing
/// requested) ordered for picking: one `AvailabilityBuckets` per priority level 1...7.
///
/// Not generic over the picker's peer type, so the per-piece loops (a BITFIELD counts in up to n
/// pieces) run as concrete code whichever peer type the engine uses.
struct PieceAvailability: Sendable {
    /// How many non-seed peers have each piece; seeds are counted once in `seedCount`.
    private(set) var peerCounts: [Int32]
    /// Peers that have every piece. They add the same to every piece, so they do not change the order.
    private(set) var seedCount = 0
    private(set) var priorities: [PiecePriority]
    /// The open pieces by priority: `levels[p - 1]` for priority p.
    private(set) var levels: [AvailabilityBuckets]
    /// Each piece's position in its level, -1 when it is not open.
    private(set) var levelPositions: [Int32]

    init(pieceCount: Int) {
        peerCounts = Array(repeating: 0, count: pieceCount)
        priorities = Array(repeating: .normal, count: pieceCount)
        levels = Array(repeating: AvailabilityBuckets(), count: PiecePriority.levelCount - 1)
        levelPositions = Array(repeating: -1, count: pieceCount)
    }

    func availability(ofPiece piece: Int) -> Int { Int(peerCounts[piece]) + seedCount }
    func isOpen(_ piece: Int) -> Bool { levelPositions[piece] >= 0 }

    /// Open pieces that some connected peer has. O(L), L = 7 levels.
    var availableOpenCount: Int {
        levels.reduce(0) { $0 + (seedCount > 0 ? $1.count : $1.count - $1.range(ofBucket: 0).count) }
    }

    var openCount: Int { levels.reduce(0) { $0 + $1.count } }

    // MARK: Counting peers

    /// O(1).
    mutating func peerHas(piece: Int) {
        let count = Int(peerCounts[piece])
        peerCounts[piece] += 1
        if levelPositions[piece] >= 0 {
            levels[Int(priorities[piece].level) - 1].increment(piece, from: count, positions: &levelPositions)
        }
    }

    /// O(1).
    mutating func peerLost(piece: Int) {
        let count = Int(peerCounts[piece])
        precondition(count > 0, "piece \(piece) lost by a peer although no peer had it")
        peerCounts[piece] -= 1
        if levelPositions[piece] >= 0 {
            levels[Int(priorities[piece].level) - 1].decrement(piece, from: count, positions: &levelPositions)
        }
    }

    /// O(n/8 + k), k = pieces set.
    mutating func peerHas(_ bitfield: Bitfield) {
        Self.forEachSetBit(of: bitfield) { peerHas(piece: $0) }
    }

    /// O(n/8 + k).
    mutating func peerLost(_ bitfield: Bitfield) {
        Self.forEachSetBit(of: bitfield) { peerLost(piece: $0) }
    }

    mutating func seedJoined() { seedCount += 1 }

    mutating func seedLeft() {
        precondition(seedCount > 0, "a seed left although none was counted")
        seedCount -= 1
    }

    // MARK: Open pieces and priorities

    /// Makes a missing piece open (a no-op for priority 0). O(A), A = the highest availability.
    mutating func open(_ piece: Int) {
        guard priorities[piece].isWanted, levelPositions[piece] < 0 else { return }
        levels[Int(priorities[piece].level) - 1].insert(
            piece, availability: Int(peerCounts[piece]), positions: &levelPositions)
    }

    /// Takes a piece out of the open pieces (started, had, or skipped). O(A).
    mutating func close(_ piece: Int) {
        guard levelPositions[piece] >= 0 else { return }
        levels[Int(priorities[piece].level) - 1].remove(
            piece, availability: Int(peerCounts[piece]), positions: &levelPositions)
    }

    /// Changes a priority; an open piece moves to its new level (or out, for 0). O(A).
    mutating func setPriority(_ priority: PiecePriority, ofPiece piece: Int) {
        let wasOpen = isOpen(piece)
        close(piece)
        priorities[piece] = priority
        if wasOpen { open(piece) }
    }

    /// Sets every priority and rebuilds the levels from the pieces `isMissing` accepts. O(n + A).
    mutating func reset(priorities newPriorities: [PiecePriority], isMissing: (Int) -> Bool) {
        priorities = newPriorities
        var members = Array(repeating: [Int32](), count: levels.count)
        for piece in priorities.indices {
            levelPositions[piece] = -1
            if isMissing(piece) && priorities[piece].isWanted {
                members[Int(priorities[piece].level) - 1].append(Int32(piece))
            }
        }
        for index in levels.indices {
            levels[index] = AvailabilityBuckets(
                pieces: members[index], availability: peerCounts, positions: &levelPositions)
        }
    }

    /// Calls `body` with each set bit's index, skipping zero bytes.
    static func forEachSetBit(of bitfield: Bitfield, _ body: (Int) -> Void) {
        for (byteIndex, byte) in bitfield.bytes.enumerated() where byte != 0 {
            var remaining = byte
            while remaining != 0 {
                let bit = remaining.leadingZeroBitCount
                body(byteIndex * 8 + bit)
                remaining &= ~(0x80 >> UInt8(bit))
            }
        }
    }
}
