/// A piece and the instant the player needs it by.
public struct ScheduledPiece: Hashable, Sendable {
    public var piece: Int
    public var deadline: ContinuousClock.Instant

    public init(piece: Int, deadline: ContinuousClock.Instant) {
        self.piece = piece
        self.deadline = deadline
    }
}
