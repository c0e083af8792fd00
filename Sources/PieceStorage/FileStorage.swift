import NIOCore
import Synchronization
import TorrentModel

/// A torrent's pieces in files below a save folder, read and written with `pread`/`pwrite` on the
/// threads of a `StorageThreadPool`, never on the caller's thread.
///
/// A multi-file torrent lives in `saveFolder/name/…`, a single-file one in `saveFolder/name`.
/// Pad files are never created. See docs/storage.md for the rules.
public final class FileStorage: PieceStore {
    public let layout: StorageLayout
    public let completion: any CompletionState
    public let saveFolder: String
    private let pool: StorageThreadPool
    private let settings: StorageSettings
    private let opener: SafePathOpener
    private let handles: FileHandleCache
    private let isClosed = Atomic<Bool>(false)

    public convenience init(
        metainfo: Metainfo, saveFolder: String, completion: any CompletionState, pool: StorageThreadPool,
        settings: StorageSettings = StorageSettings()
    ) {
        self.init(
            layout: StorageLayout(metainfo: metainfo), saveFolder: saveFolder, completion: completion, pool: pool,
            settings: settings)
    }

    public init(
        layout: StorageLayout, saveFolder: String, completion: any CompletionState, pool: StorageThreadPool,
        settings: StorageSettings = StorageSettings()
    ) {
        precondition(completion.pieceCount == layout.pieceCount, "completion state is for another torrent")
        self.layout = layout
        self.completion = completion
        self.pool = pool
        self.settings = settings
        opener = SafePathOpener(saveFolder: saveFolder, relativePaths: layout.relativePaths)
        self.saveFolder = opener.saveFolder
        handles = FileHandleCache(capacity: settings.maximumOpenFiles)
    }

    /// The full path of file `index` on disk.
    public func diskPath(ofFile index: Int) -> String { opener.fullPath(ofFile: index) }

    // MARK: PieceStore

    public func prepare() async throws(StorageError) {
        try checkOpen()
        try await pool.run { [self] () throws(StorageError) in
            try opener.createSaveFolder()
            for index in layout.dataFileIndices {
                guard let file = try opener.open(file: index, create: true) else { continue }
                let length = layout.files[index].length
                if file.size != length {
                    // Longer files are cut too: bytes past the torrent's end would reach players.
                    if let error = file.writeError { throw error }
                    try file.resize(to: length)
                    handles.markDirty(index)
                }
                handles.insert(file, for: index)
            }
        }
    }

    public func writeVerifiedPiece(_ index: Int, _ bytes: [UInt8]) async throws(StorageError) -> PieceWriteResult {
        try checkOpen()
        try layout.checkPiece(index, byteCount: bytes.count)
        return try await pool.run { [self] () throws(StorageError) -> PieceWriteResult in
            let expected = layout.expectedHash(ofPiece: index)
            guard !completion.contains(index) else {
                return PieceHash.matches(bytes, expected: expected) ? .verified : .hashMismatch
            }
            // Hashed and written a slice at a time, so the bytes the write copies are still in the CPU's cache
            // from hashing them. Bytes of a piece that then fails are on disk but never marked or served; the
            // piece is fetched again and overwrites them.
            var hasher = PieceHash()
            let written = bytes.withUnsafeBytes { raw in
                Result { () throws(StorageError) in
                    for slice in layout.fileMap.slices(ofPiece: index, in: layout.geometry) {
                        let start = Int(slice.offsetInRange)
                        let part = UnsafeRawBufferPointer(rebasing: raw[start..<(start + Int(slice.length))])
                        guard !layout.files[slice.fileIndex].isPadding else {
                            hasher.update(part)
                            continue
                        }
                        let file = try writableFile(slice.fileIndex)
                        handles.markDirty(slice.fileIndex)
                        for chunkStart in stride(from: 0, to: part.count, by: PieceHash.chunkLength) {
                            let chunk = UnsafeRawBufferPointer(
                                rebasing: part[chunkStart..<min(chunkStart + PieceHash.chunkLength, part.count)])
                            hasher.update(chunk)
                            try file.write(chunk, at: slice.offsetInFile + Int64(chunkStart))
                        }
                        Writeback.start(descriptor: file.descriptor, offset: slice.offsetInFile, length: slice.length)
                    }
                }
            }
            try written.get()
            guard hasher.matches(expected) else { return .hashMismatch }
            // Marked only now that every byte is written and checked: a reader never sees a had piece half-written.
            completion.markVerified(index)
            return .verified
        }
    }

    public func readBlock(piece: Int, offset: Int, length: Int) async throws(StorageError) -> [UInt8] {
        try checkOpen()
        let buffer = try await readVerified(try layout.blockRange(piece: piece, offset: offset, length: length))
        return Array(buffer.readableBytesView)
    }

    public func readBuffer(piece: Int, offset: Int, length: Int) async throws(StorageError) -> ByteBuffer {
        try checkOpen()
        return try await readVerified(try layout.blockRange(piece: piece, offset: offset, length: length))
    }

    public func readRange(fileIndex: Int, range: Range<Int64>) async throws(StorageError) -> [UInt8] {
        try checkOpen()
        let file = try layout.readableFile(fileIndex, range: range)
        let buffer = try await readVerified((file.offset + range.lowerBound)..<(file.offset + range.upperBound))
        return Array(buffer.readableBytesView)
    }

    public func recheck(progress: RecheckProgress? = nil) async throws(StorageError) -> Bitfield {
        try checkOpen()
        // Nothing counts as had while its bytes are under suspicion.
        completion.reset(to: Bitfield(count: layout.pieceCount))
        handles.removeAll()
        let cancellation = CancellationFlag()
        let rechecker = Rechecker(layout: layout, opener: opener, threadCount: settings.hashThreadCount)
        let completion = completion
        let result = await withTaskCancellationHandler { () async -> Result<Bitfield, StorageError> in
            do throws(StorageError) {
                return .success(
                    try await pool.run { () throws(StorageError) -> Bitfield in
                        try rechecker.run(progress: progress, cancellation: cancellation) {
                            completion.markVerified($0)
                        }
                    })
            } catch {
                return .failure(error)
            }
        } onCancel: {
            cancellation.cancel()
        }
        return try result.get()
    }

    public func flush() async throws(StorageError) {
        try checkOpen()
        try await sync()
    }

    public func close() async throws(StorageError) {
        try await close(sync: true)
    }

    /// Releases the files; with `sync: false` without waiting for the disk first, for an owner that does not
    /// remember completion across runs (it re-checks the data at start, so a power cut loses no claim).
    public func close(sync: Bool) async throws(StorageError) {
        guard !isClosed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        defer { handles.removeAll() }
        if sync { try await self.sync() }
    }

    // MARK: Internals

    private func checkOpen() throws(StorageError) {
        if isClosed.load(ordering: .acquiring) { throw .closed }
    }

    private func sync() async throws(StorageError) {
        try await pool.run { [self] () throws(StorageError) in
            let dirty = handles.takeDirty()
            for (position, index) in dirty.enumerated() {
                do throws(StorageError) {
                    try existingFile(index)?.sync()
                } catch {
                    handles.restoreDirty(dirty[position...])
                    throw error
                }
            }
        }
    }

    /// File `index` for reading (or syncing); nil when it is not on disk.
    private func existingFile(_ index: Int) throws(StorageError) -> OpenFile? {
        try handles.file(index, writable: false) { () throws(StorageError) in
            try opener.open(file: index, create: false)
        }
    }

    private func writableFile(_ index: Int) throws(StorageError) -> OpenFile {
        let file = try handles.file(index, writable: true) { () throws(StorageError) in
            try opener.open(file: index, create: true)
        }
        guard let file else { throw .changedOnDisk(path: opener.fullPath(ofFile: index)) }
        if let error = file.writeError { throw error }
        return file
    }

    /// Reads a range of the torrent's stream whose pieces are all verified, before and after the read.
    private func readVerified(_ range: Range<Int64>) async throws(StorageError) -> ByteBuffer {
        let pieces = layout.geometry.pieces(covering: range)
        try requireVerified(pieces)
        let count = Int(range.count)
        let buffer = try await pool.run { [self] () throws(StorageError) -> ByteBuffer in
            var buffer = ByteBufferAllocator().buffer(capacity: count)
            var failure: StorageError?
            // Not zeroed first: `read` fills every byte or throws.
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { target in
                do throws(StorageError) {
                    try read(range, into: UnsafeMutableRawBufferPointer(rebasing: target[0..<count]))
                } catch {
                    failure = error
                }
                return count
            }
            if let failure { throw failure }
            return buffer
        }
        // A recheck may have started meanwhile; bytes of pieces it cleared must not leave.
        try requireVerified(pieces)
        return buffer
    }

    private func requireVerified(_ pieces: Range<Int>) throws(StorageError) {
        if let missing = pieces.first(where: { !completion.contains($0) }) { throw .notVerified(piece: missing) }
    }

    /// Fills all of `buffer` with `range` (pad files are zeros). A file that has become shorter or vanished
    /// since its pieces were verified marks those pieces missing.
    private func read(_ range: Range<Int64>, into buffer: UnsafeMutableRawBufferPointer) throws(StorageError) {
        for slice in layout.fileMap.slices(for: range) {
            let start = Int(slice.offsetInRange)
            let target = UnsafeMutableRawBufferPointer(rebasing: buffer[start..<(start + Int(slice.length))])
            if layout.files[slice.fileIndex].isPadding {
                target.initializeMemory(as: UInt8.self, repeating: 0)
                continue
            }
            let file = try existingFile(slice.fileIndex)
            let count = try file?.read(into: target, at: slice.offsetInFile) ?? 0
            if count < target.count {
                handles.remove(slice.fileIndex)
                let torrentFile = layout.files[slice.fileIndex]
                // Every verified piece past the file's new end is gone, not just the one asked for.
                let end = min(file?.currentSize() ?? 0, torrentFile.length)
                for piece in layout.geometry.pieces(
                    covering: (torrentFile.offset + end)..<torrentFile.byteRange.upperBound)
                {
                    completion.markMissing(piece)
                }
                throw .changedOnDisk(path: opener.fullPath(ofFile: slice.fileIndex))
            }
        }
    }
}
