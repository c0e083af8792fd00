/// What became of a piece handed to `PieceStore.writeVerifiedPiece`.
public enum PieceWriteResult: Equatable, Sendable {
    /// The bytes matched the torrent's SHA-1, are written (or were already there), and the piece
    /// now counts as had.
    case verified
    /// The bytes did not match; nothing was written and the piece is not had. The engine should
    /// download it again, and may hold it against the peers that sent it.
    case hashMismatch
}
