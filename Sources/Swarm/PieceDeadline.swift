/// A piece with a deadline, ordered by deadline and then by piece so the order is total.
struct PieceDeadline: Comparable, Sendable {
    var deadline: ContinuousClock.Instant
    var piece: Int

    static func < (lhs: PieceDeadline, rhs: PieceDeadline) -> Bool {
        (lhs.deadline, lhs.piece) < (rhs.deadline, rhs.piece)
    }
}
