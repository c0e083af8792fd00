import Synchronization

/// How far a recheck has come, updated by the hashing threads and read by whoever shows progress.
public final class RecheckProgress: Sendable {
    private let bytesDone = Atomic<Int64>(0)
    private let piecesDone = Atomic<Int>(0)

    public init() {}

    /// Bytes of the torrent's stream checked so far (pad files and missing data count as checked).
    public var checkedBytes: Int64 { bytesDone.load(ordering: .relaxed) }
    /// Pieces checked so far, good or bad.
    public var checkedPieces: Int { piecesDone.load(ordering: .relaxed) }

    func add(bytes: Int64, pieces: Int) {
        bytesDone.add(bytes, ordering: .relaxed)
        piecesDone.add(pieces, ordering: .relaxed)
    }
}
