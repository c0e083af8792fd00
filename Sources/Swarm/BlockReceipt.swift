/// What the picker made of a block that arrived.
public struct BlockReceipt<Peer: Hashable & Sendable>: Hashable, Sendable {
    public enum Outcome: Hashable, Sendable {
        /// New data: store it.
        case accepted
        /// Already received (an endgame duplicate that crossed a cancel) or the piece is had: drop it.
        case duplicate
        /// The piece has priority 0 and was never started: drop it.
        case unwanted
        /// Not one of the torrent's blocks (wrong offset or length): a protocol error by the sender.
        case invalid
    }

    public var outcome: Outcome
    /// True when this block was the piece's last: hash the piece, then call `pieceVerified` or `pieceFailed`.
    public var pieceComplete: Bool
    /// Other peers that were asked for the same block; send each a CANCEL.
    public var cancels: [BlockCancellation<Peer>]

    public init(outcome: Outcome, pieceComplete: Bool = false, cancels: [BlockCancellation<Peer>] = []) {
        self.outcome = outcome
        self.pieceComplete = pieceComplete
        self.cancels = cancels
    }
}
