import PieceStorage
import Synchronization
import TorrentModel

/// Piece completion that survives a restart: kept in memory (so `contains`, asked before every
/// read, costs a lock and a bit test, never SQL) and written to the `StateStore` by `flush()`.
///
/// Durability rule: a piece may be recorded as complete only after its bytes are on disk. Marks
/// therefore stay in memory until the owner calls `flush()`, and the owner calls it only AFTER
/// `PieceStore.flush()` has fsynced the data. A crash between the two loses some marks, never data:
/// those pieces are fetched or re-checked again. `markMissing` (a piece that failed a re-check or
/// whose file changed) and `reset(to:)` are flushed the same way; they only ever make the saved
/// state more careful, so flushing them early is always safe and the owner should not wait long.
///
/// Every change that flips a bit counts as unflushed until a `flush()` that saw it has committed;
/// a mark made while a flush runs stays unflushed for the next one.
public final class PersistentCompletionState: CompletionState {
    private struct State {
        var bits: Bitfield
        /// Bit flips since this object was made; compared with `flushedChanges` to know what is dirty.
        var changes: UInt64 = 0
        /// The value of `changes` that the last committed flush wrote.
        var flushedChanges: UInt64 = 0
    }

    public let infoHash: InfoHash
    public let pieceCount: Int
    /// True when the store held a completion of the right size for this torrent, which this object
    /// started from; false when it started from nothing (the owner should then re-check the data).
    public let wasRestored: Bool
    private let store: StateStore
    private let state: Mutex<State>
    /// Serialises flushes so an older snapshot is never written after a newer one.
    private let flushLock = Mutex(())

    /// Starts from the completion saved for `infoHash`. A saved bitfield of another size (a
    /// different torrent under the same infohash cannot exist, so this means damage) is ignored.
    public init(store: StateStore, infoHash: InfoHash, pieceCount: Int) throws(StateStoreError) {
        precondition(pieceCount >= 0)
        self.store = store
        self.infoHash = infoHash
        self.pieceCount = pieceCount
        let saved = try store.completion(infoHash: infoHash)
        if let saved, saved.count == pieceCount {
            state = Mutex(State(bits: saved))
            wasRestored = true
        } else {
            state = Mutex(State(bits: Bitfield(count: pieceCount)))
            wasRestored = false
        }
    }

    public var verified: Bitfield { state.withLock { $0.bits } }

    /// True while some change has not been written by a committed `flush()`.
    public var hasUnflushedChanges: Bool { state.withLock { $0.changes != $0.flushedChanges } }

    public func contains(_ piece: Int) -> Bool {
        guard piece >= 0 && piece < pieceCount else { return false }
        return state.withLock { $0.bits[piece] }
    }

    public func markVerified(_ piece: Int) {
        set(piece, to: true)
    }

    public func markMissing(_ piece: Int) {
        set(piece, to: false)
    }

    public func reset(to bitfield: Bitfield) {
        precondition(bitfield.count == pieceCount, "a bitfield of \(bitfield.count) bits for \(pieceCount) pieces")
        state.withLock { state in
            guard state.bits != bitfield else { return }
            state.bits = bitfield
            state.changes &+= 1
        }
    }

    /// Writes the current bitfield to the store in one transaction, if anything changed since the
    /// last flush. Call it only after `PieceStore.flush()` (see the type's doc comment). On failure
    /// the changes stay unflushed and a later call tries again.
    public func flush() throws(StateStoreError) {
        try flushLock.withLock { (_) throws(StateStoreError) in
            let (bits, changes, flushed) = state.withLock { ($0.bits, $0.changes, $0.flushedChanges) }
            guard changes != flushed else { return }
            try store.saveCompletion(infoHash: infoHash, bitfield: bits)
            state.withLock { $0.flushedChanges = changes }
        }
    }

    /// What is verified at one moment, to be recorded once the data behind it is durable.
    public struct Snapshot: Sendable {
        let bits: Bitfield
        let changes: UInt64
    }

    /// The pieces verified now. Take it *before* `PieceStore.flush()`, then pass it to `flush(_:)`: pieces
    /// verified while the fsync ran are not covered by it and stay for the next round.
    public func snapshot() -> Snapshot {
        state.withLock { Snapshot(bits: $0.bits, changes: $0.changes) }
    }

    /// Records the pieces of `snapshot` that are still verified now (one marked missing meanwhile is left
    /// out), in one transaction. Changes made after the snapshot stay unflushed.
    public func flush(_ snapshot: Snapshot) throws(StateStoreError) {
        precondition(snapshot.bits.count == pieceCount, "a snapshot of another torrent")
        try flushLock.withLock { (_) throws(StateStoreError) in
            let (current, flushed) = state.withLock { ($0.bits, $0.flushedChanges) }
            guard snapshot.changes != flushed else { return }
            var bits = snapshot.bits
            for piece in snapshot.bits.setIndices where !current[piece] { bits[piece] = false }
            try store.saveCompletion(infoHash: infoHash, bitfield: bits)
            state.withLock { state in
                // A later flush may have committed already (flushes are serialised, but be careful anyway).
                if state.flushedChanges == flushed { state.flushedChanges = snapshot.changes }
            }
        }
    }

    private func set(_ piece: Int, to value: Bool) {
        precondition(piece >= 0 && piece < pieceCount, "piece \(piece) out of range 0..<\(pieceCount)")
        state.withLock { state in
            guard state.bits[piece] != value else { return }
            state.bits[piece] = value
            state.changes &+= 1
        }
    }
}
