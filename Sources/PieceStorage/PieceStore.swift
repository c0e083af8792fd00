import NIOCore
import TorrentModel

/// The pieces of one torrent: on disk (`FileStorage`) or in memory (`MemoryStorage`).
///
/// The rule every store keeps: a piece counts as had only after its bytes matched the torrent's
/// SHA-1, and no byte of a piece that does not count as had ever leaves the store. Which pieces
/// count lives in `completion`. All methods may be called concurrently from any task; blocking work
/// never runs on the caller's thread.
public protocol PieceStore: Sendable {
    var layout: StorageLayout { get }
    var completion: any CompletionState { get }

    /// Creates the folders and files the torrent needs. Files get their full length sparsely (no
    /// zeros written); existing files of the right length are kept as they are. Pad files are never
    /// created.
    func prepare() async throws(StorageError)

    /// Checks a whole piece against its SHA-1 and, only when it matches, writes it and marks it had.
    /// A piece already had is not written again. Throws `.outOfRange` for a bad index or a length
    /// that is not the piece's.
    func writeVerifiedPiece(_ index: Int, _ bytes: [UInt8]) async throws(StorageError) -> PieceWriteResult

    /// Bytes of a verified piece, for a peer's request. Throws `.notVerified` for any other piece.
    func readBlock(piece: Int, offset: Int, length: Int) async throws(StorageError) -> [UInt8]

    /// The same bytes as `readBlock`, in a `ByteBuffer` a socket can send as it is (slices of it copy
    /// nothing). Up to `StorageLimits.maximumReadLength` bytes within one piece.
    func readBuffer(piece: Int, offset: Int, length: Int) async throws(StorageError) -> ByteBuffer

    /// Bytes of one file, for the HTTP server; every piece under `range` must be verified.
    /// `range` counts from the start of the file, and is at most `StorageLimits.maximumReadLength` long.
    func readRange(fileIndex: Int, range: Range<Int64>) async throws(StorageError) -> [UInt8]

    /// Hashes all data there is and makes `completion` say exactly which pieces are right. Missing
    /// or short files make their pieces missing; they are not errors. Pieces stop counting as had
    /// while the check runs, so nothing is served from data under suspicion.
    func recheck(progress: RecheckProgress?) async throws(StorageError) -> Bitfield

    /// Makes written data durable (fsync).
    func flush() async throws(StorageError)

    /// Flushes and releases files; later calls throw `.closed`.
    func close() async throws(StorageError)
}

extension PieceStore {
    /// `readBlock`'s bytes copied into a buffer, for stores that hold them as arrays anyway.
    public func readBuffer(piece: Int, offset: Int, length: Int) async throws(StorageError) -> ByteBuffer {
        ByteBuffer(bytes: try await readBlock(piece: piece, offset: offset, length: length))
    }

    /// `recheck(progress:)` without progress reports.
    public func recheck() async throws(StorageError) -> Bitfield {
        try await recheck(progress: nil)
    }
}
