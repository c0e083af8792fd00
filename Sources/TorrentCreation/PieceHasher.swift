import Crypto
import Dispatch
import Glibc
import Synchronization
import TorrentModel

/// Computes the SHA-1 of every piece of files on disk, on several threads.
///
/// Work is handed out in chunks of consecutive pieces (about `chunkBytes` each) from a shared counter,
/// so fast threads take more chunks and a file boundary never stalls one thread. Each chunk is read
/// with positional reads into a buffer the thread owns; pad files are zeros and are never read.
public struct PieceHasher: Sendable {
    /// Bytes of pieces handed to a thread at a time: enough to keep reads sequential, small enough to balance threads.
    public static let chunkBytes = 4 * 1024 * 1024
    /// Bytes per read: a piece is read and hashed in slices this size, so the bytes are still in the
    /// core's cache when SHA-1 reads them (a whole 1 MiB+ piece would go out to memory and back).
    public static let readBytes = 128 * 1024

    public var files: [TorrentFile]
    /// The on-disk path of each file in `files` (ignored for pad files).
    public var diskPaths: [String]
    public var geometry: PieceGeometry
    public var threadCount: Int

    public init(files: [TorrentFile], diskPaths: [String], pieceLength: Int, threadCount: Int) {
        precondition(files.count == diskPaths.count)
        self.files = files
        self.diskPaths = diskPaths
        self.geometry = PieceGeometry(
            totalLength: files.last.map { $0.offset + $0.length } ?? 0, pieceLength: pieceLength)
        self.threadCount = max(1, threadCount)
    }

    /// The concatenated 20-byte hashes of all pieces.
    public func hashAll(progress: ProgressCounter? = nil) throws(CreationError) -> [UInt8] {
        let pieceCount = geometry.pieceCount
        let piecesPerChunk = max(1, Self.chunkBytes / geometry.pieceLength)
        let chunkCount = (pieceCount + piecesPerChunk - 1) / piecesPerChunk
        let nextChunk = Atomic<Int>(0)
        let firstError = Mutex<CreationError?>(nil)
        let output = HashOutput(pieceCount: pieceCount)
        let fileMap = FileMap(files: files)

        DispatchQueue.concurrentPerform(iterations: min(threadCount, max(chunkCount, 1))) { _ in
            var reader = ChunkReader(files: files, diskPaths: diskPaths, bufferSize: Self.readBytes)
            defer { reader.close() }
            while firstError.withLock({ $0 == nil }) {
                let chunk = nextChunk.add(1, ordering: .relaxed).oldValue
                guard chunk < chunkCount else { return }
                let pieces = (chunk * piecesPerChunk)..<min((chunk + 1) * piecesPerChunk, pieceCount)
                do throws(CreationError) {
                    for piece in pieces {
                        let digest = try hashPiece(piece, reader: &reader, fileMap: fileMap)
                        output.store(digest, forPiece: piece)
                    }
                    let first = geometry.byteRange(ofPiece: pieces.lowerBound).lowerBound
                    progress?.add(geometry.byteRange(ofPiece: pieces.upperBound - 1).upperBound - first)
                } catch {
                    firstError.withLock { if $0 == nil { $0 = error } }
                }
            }
        }
        if let error = firstError.withLock({ $0 }) { throw error }
        return output.bytes
    }

    private func hashPiece(
        _ piece: Int, reader: inout ChunkReader, fileMap: FileMap
    ) throws(CreationError) -> Insecure.SHA1.Digest {
        var hasher = Insecure.SHA1()
        let range = geometry.byteRange(ofPiece: piece)
        var start = range.lowerBound
        while start < range.upperBound {
            let end = min(start + Int64(Self.readBytes), range.upperBound)
            let bytes = try reader.read(fileMap.slices(for: start..<end), length: Int(end - start))
            hasher.update(bufferPointer: bytes)
            start = end
        }
        return hasher.finalize()
    }
}

/// The hash array, written by many threads at disjoint offsets.
private final class HashOutput: @unchecked Sendable {
    private let storage: UnsafeMutableBufferPointer<UInt8>

    init(pieceCount: Int) {
        storage = .allocate(capacity: pieceCount * InfoHash.byteCount)
        storage.initialize(repeating: 0)
    }

    deinit { storage.deallocate() }

    /// Safe without a lock: each piece index is hashed by exactly one thread.
    func store(_ digest: Insecure.SHA1.Digest, forPiece piece: Int) {
        digest.withUnsafeBytes { raw in
            for (index, byte) in raw.enumerated() { storage[piece * InfoHash.byteCount + index] = byte }
        }
    }

    var bytes: [UInt8] { Array(storage) }
}

/// One thread's reader: a buffer of its own and the file it read last, kept open for the next chunk.
private struct ChunkReader {
    let files: [TorrentFile]
    let diskPaths: [String]
    let buffer: UnsafeMutableRawBufferPointer
    var openFile: (index: Int, descriptor: Int32)?

    init(files: [TorrentFile], diskPaths: [String], bufferSize: Int) {
        self.files = files
        self.diskPaths = diskPaths
        self.buffer = .allocate(byteCount: bufferSize, alignment: 4096)
    }

    mutating func close() {
        if let openFile { Glibc.close(openFile.descriptor) }
        openFile = nil
        buffer.deallocate()
    }

    /// Fills the buffer with the bytes of `slices`, zeros for pad files.
    mutating func read(_ slices: [FileSlice], length: Int) throws(CreationError) -> UnsafeRawBufferPointer {
        for slice in slices {
            let target = UnsafeMutableRawBufferPointer(
                rebasing: buffer[Int(slice.offsetInRange)..<Int(slice.offsetInRange + slice.length)])
            if files[slice.fileIndex].isPadding {
                target.initializeMemory(as: UInt8.self, repeating: 0)
                continue
            }
            let descriptor = try descriptor(for: slice.fileIndex)
            var done = 0
            while done < target.count {
                let count = pread(
                    descriptor, target.baseAddress! + done, target.count - done, off_t(slice.offsetInFile) + off_t(done)
                )
                if count < 0 {
                    if errno == EINTR { continue }
                    throw .unreadable(diskPaths[slice.fileIndex], reason: String(cString: strerror(errno)))
                }
                if count == 0 { throw .changedWhileHashing(diskPaths[slice.fileIndex]) }
                done += count
            }
        }
        return UnsafeRawBufferPointer(rebasing: buffer[0..<length])
    }

    private mutating func descriptor(for index: Int) throws(CreationError) -> Int32 {
        if let openFile, openFile.index == index { return openFile.descriptor }
        if let openFile { Glibc.close(openFile.descriptor) }
        openFile = nil
        let descriptor = open(diskPaths[index], O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .unreadable(diskPaths[index], reason: String(cString: strerror(errno)))
        }
        posix_fadvise(descriptor, 0, 0, POSIX_FADV_SEQUENTIAL)
        openFile = (index, descriptor)
        return descriptor
    }
}
