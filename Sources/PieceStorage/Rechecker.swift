import Dispatch
import Synchronization
import TorrentModel

/// Hashes every piece of a torrent's data on disk, on several threads, to find which are right.
///
/// The same scheme as `TorrentCreation.PieceHasher` (duplicated because storage may not depend on
/// torrent creation): chunks of consecutive pieces, about `StorageLimits.recheckChunkBytes` each,
/// handed out from an atomic counter; each thread reads a chunk with `pread` into its own buffer and
/// hashes the pieces in it. Unlike creation, missing or short files are expected here: the bytes
/// that cannot be read mark their pieces missing instead of failing the run.
struct Rechecker: Sendable {
    let layout: StorageLayout
    let opener: SafePathOpener
    let threadCount: Int

    /// The pieces whose bytes match, each also passed to `verified` as soon as it is found.
    func run(
        progress: RecheckProgress?, cancellation: CancellationFlag, verified: @Sendable (Int) -> Void
    ) throws(StorageError) -> Bitfield {
        let geometry = layout.geometry
        let pieceCount = geometry.pieceCount
        let piecesPerChunk = max(1, StorageLimits.recheckChunkBytes / geometry.pieceLength)
        let chunkCount = (pieceCount + piecesPerChunk - 1) / piecesPerChunk
        let nextChunk = Atomic<Int>(0)
        let firstError = Mutex<StorageError?>(nil)
        let found = Mutex(Bitfield(count: pieceCount))

        DispatchQueue.concurrentPerform(iterations: min(threadCount, max(chunkCount, 1))) { _ in
            var reader = ChunkReader(
                layout: layout, opener: opener, bufferSize: min(piecesPerChunk, pieceCount) * geometry.pieceLength)
            defer { reader.close() }
            while firstError.withLock({ $0 == nil }) {
                if cancellation.isCancelled {
                    firstError.withLock { if $0 == nil { $0 = .cancelled } }
                    return
                }
                let chunk = nextChunk.add(1, ordering: .relaxed).oldValue
                guard chunk < chunkCount else { return }
                let pieces = (chunk * piecesPerChunk)..<min((chunk + 1) * piecesPerChunk, pieceCount)
                let start = geometry.byteRange(ofPiece: pieces.lowerBound).lowerBound
                let range = start..<geometry.byteRange(ofPiece: pieces.upperBound - 1).upperBound
                do throws(StorageError) {
                    let (buffer, unread) = try reader.read(range)
                    for piece in pieces {
                        let pieceRange = geometry.byteRange(ofPiece: piece)
                        let local = Int(pieceRange.lowerBound - start)..<Int(pieceRange.upperBound - start)
                        guard !unread.contains(where: { $0.overlaps(local) }) else { continue }
                        let bytes = UnsafeRawBufferPointer(rebasing: buffer[local])
                        guard PieceHash.matches(bytes, expected: layout.expectedHash(ofPiece: piece)) else { continue }
                        found.withLock { $0[piece] = true }
                        verified(piece)
                    }
                    progress?.add(bytes: Int64(range.count), pieces: pieces.count)
                } catch {
                    firstError.withLock { if $0 == nil { $0 = error } }
                }
            }
        }
        if let error = firstError.withLock({ $0 }) { throw error }
        return found.withLock { $0 }
    }
}

/// Set when the task that asked for a long job is cancelled; the job's threads look at it between chunks.
final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    init() {}

    var isCancelled: Bool { flag.load(ordering: .relaxed) }

    func cancel() { flag.store(true, ordering: .relaxed) }
}

/// One thread's reader: a buffer of its own and the file it read last, kept open for the next chunk.
private struct ChunkReader {
    let layout: StorageLayout
    let opener: SafePathOpener
    let buffer: UnsafeMutableRawBufferPointer
    var current: (index: Int, file: OpenFile?)?

    init(layout: StorageLayout, opener: SafePathOpener, bufferSize: Int) {
        self.layout = layout
        self.opener = opener
        buffer = .allocate(byteCount: max(1, bufferSize), alignment: 4096)
    }

    mutating func close() {
        current = nil
        buffer.deallocate()
    }

    /// Fills the buffer with the bytes of `range` (zeros for pad files); also returns the parts of
    /// the buffer that could not be read because a file is missing or too short.
    mutating func read(_ range: Range<Int64>) throws(StorageError) -> (UnsafeRawBufferPointer, [Range<Int>]) {
        var unread: [Range<Int>] = []
        for slice in layout.fileMap.slices(for: range) {
            let start = Int(slice.offsetInRange)
            let target = UnsafeMutableRawBufferPointer(rebasing: buffer[start..<(start + Int(slice.length))])
            if layout.files[slice.fileIndex].isPadding {
                target.initializeMemory(as: UInt8.self, repeating: 0)
                continue
            }
            guard let file = try file(slice.fileIndex) else {
                unread.append(start..<(start + target.count))
                continue
            }
            let count = try file.read(into: target, at: slice.offsetInFile)
            if count < target.count { unread.append((start + count)..<(start + target.count)) }
        }
        return (UnsafeRawBufferPointer(rebasing: buffer[0..<Int(range.count)]), unread)
    }

    private mutating func file(_ index: Int) throws(StorageError) -> OpenFile? {
        if let current, current.index == index { return current.file }
        current = nil
        let file = try opener.open(file: index, create: false)
        current = (index, file)
        return file
    }
}
