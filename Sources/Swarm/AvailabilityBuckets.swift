/// The open pieces of one priority level, kept in one flat array ordered by availability.
///
/// The array is cut into buckets, one per availability value: bucket `a` holds the pieces that `a`
/// non-seed peers have, in positions `range(ofBucket: a)`. Pieces inside a bucket are in no particular
/// order. A piece moves to the next bucket by swapping it with the piece at its bucket's edge and moving
/// that edge by one, so an availability change costs O(1) (the design of libtorrent's piece picker).
/// Inserting or removing a piece walks the buckets above it: O(A), A = the highest availability.
///
/// Positions are written into a caller-owned array indexed by piece, so the picker can find any piece's
/// slot in O(1) and all levels share one such array (a piece is in at most one level).
struct AvailabilityBuckets: Sendable {
    /// Piece indices, bucket 0 first.
    private(set) var pieces: [Int32] = []
    /// `bucketEnds[a]` is one past the last position of bucket `a`. Never empty; the last entry equals
    /// `pieces.count`; trailing empty buckets (other than bucket 0) are trimmed, so the last bucket is
    /// the highest availability present.
    private(set) var bucketEnds: [Int] = [0]

    var count: Int { pieces.count }
    var highestAvailability: Int { bucketEnds.count - 1 }

    /// Builds the buckets from pieces and their availabilities with a counting sort: O(n + A).
    /// Pieces keep their given order inside a bucket.
    init(pieces source: [Int32], availability: [Int32], positions: inout [Int32]) {
        guard !source.isEmpty else { return }
        var highest = 0
        for piece in source { highest = max(highest, Int(availability[Int(piece)])) }
        var sizes = [Int](repeating: 0, count: highest + 1)
        for piece in source { sizes[Int(availability[Int(piece)])] += 1 }
        var ends = [Int](repeating: 0, count: highest + 1)
        var running = 0
        for bucket in 0...highest {
            running += sizes[bucket]
            ends[bucket] = running
        }
        var next = ends.indices.map { ends[$0] - sizes[$0] }
        var placed = [Int32](repeating: 0, count: source.count)
        for piece in source {
            let bucket = Int(availability[Int(piece)])
            placed[next[bucket]] = piece
            positions[Int(piece)] = Int32(next[bucket])
            next[bucket] += 1
        }
        pieces = placed
        bucketEnds = ends
    }

    init() {}

    /// Positions of the pieces with availability `bucket`; empty above the highest availability.
    func range(ofBucket bucket: Int) -> Range<Int> {
        guard bucket < bucketEnds.count else { return pieces.count..<pieces.count }
        return (bucket == 0 ? 0 : bucketEnds[bucket - 1])..<bucketEnds[bucket]
    }

    /// Positions of the pieces with availability `bucket` or more.
    func range(fromBucket bucket: Int) -> Range<Int> {
        range(ofBucket: bucket).lowerBound..<pieces.count
    }

    /// One more peer has `piece`, which sits in bucket `availability`. O(1).
    mutating func increment(_ piece: Int, from availability: Int, positions: inout [Int32]) {
        if availability == highestAvailability { bucketEnds.append(pieces.count) }
        let edge = bucketEnds[availability] - 1
        swap(Int(positions[piece]), edge, positions: &positions)
        bucketEnds[availability] -= 1
    }

    /// One fewer peer has `piece`, which sits in bucket `availability` (> 0). O(1).
    mutating func decrement(_ piece: Int, from availability: Int, positions: inout [Int32]) {
        precondition(availability > 0, "availability of piece \(piece) would go below zero")
        let edge = bucketEnds[availability - 1]
        swap(Int(positions[piece]), edge, positions: &positions)
        bucketEnds[availability - 1] += 1
        trimEmptyTop()
    }

    /// Adds `piece` with the given availability. O(A).
    mutating func insert(_ piece: Int, availability: Int, positions: inout [Int32]) {
        while bucketEnds.count <= availability { bucketEnds.append(pieces.count) }
        pieces.append(Int32(piece))
        positions[piece] = Int32(pieces.count - 1)
        bucketEnds[bucketEnds.count - 1] += 1
        // Sink from the top bucket: swap with the first piece of each bucket and grow the one below.
        var bucket = highestAvailability
        while bucket > availability {
            let edge = bucketEnds[bucket - 1]
            swap(Int(positions[piece]), edge, positions: &positions)
            bucketEnds[bucket - 1] += 1
            bucket -= 1
        }
    }

    /// Takes `piece` out; it sits in bucket `availability`. O(A).
    mutating func remove(_ piece: Int, availability: Int, positions: inout [Int32]) {
        // Rise to the top bucket: swap with the last piece of each bucket and shrink it.
        var bucket = availability
        while bucket < highestAvailability {
            let edge = bucketEnds[bucket] - 1
            swap(Int(positions[piece]), edge, positions: &positions)
            bucketEnds[bucket] -= 1
            bucket += 1
        }
        swap(Int(positions[piece]), pieces.count - 1, positions: &positions)
        pieces.removeLast()
        bucketEnds[bucketEnds.count - 1] -= 1
        positions[piece] = -1
        trimEmptyTop()
    }

    private mutating func swap(_ first: Int, _ second: Int, positions: inout [Int32]) {
        guard first != second else { return }
        let firstPiece = pieces[first]
        let secondPiece = pieces[second]
        pieces[first] = secondPiece
        pieces[second] = firstPiece
        positions[Int(secondPiece)] = Int32(first)
        positions[Int(firstPiece)] = Int32(second)
    }

    private mutating func trimEmptyTop() {
        while bucketEnds.count > 1 && bucketEnds[bucketEnds.count - 1] == bucketEnds[bucketEnds.count - 2] {
            bucketEnds.removeLast()
        }
    }
}
