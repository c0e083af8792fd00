import TorrentModel

/// Which pieces of one torrent have passed their SHA-1 check and sit on disk: the only pieces whose
/// bytes a store hands out. Kept apart from the data so it can live in memory or in a database.
///
/// Stores call these methods from their I/O threads (never from an event loop), right after the
/// bytes of a piece were written and checked, so an implementation may block briefly, e.g. on SQLite.
/// `contains` runs before every read and must be cheap. A mark made here is not yet durable: data
/// reaches the disk at `PieceStore.flush()`; a persistent implementation should treat marks as
/// durable only after that (after a crash, a recheck finds the truth).
public protocol CompletionState: Sendable {
    /// How many pieces the torrent has.
    var pieceCount: Int { get }
    /// A copy of the current state, one bit per piece.
    var verified: Bitfield { get }
    func contains(_ piece: Int) -> Bool
    func markVerified(_ piece: Int)
    func markMissing(_ piece: Int)
    /// Replaces the whole state at once (a recheck starts from nothing).
    func reset(to bitfield: Bitfield)
}
