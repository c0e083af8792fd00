import TorrentModel

/// A store that keeps file contents in memory, for tests of the engine and the HTTP server. It keeps
/// the same rules as `FileStorage`: hash before write, only verified pieces are read, pad files hold
/// nothing. Hashing runs on the actor (tests only, so no thread pool).
public actor MemoryStorage: PieceStore {
    public nonisolated let layout: StorageLayout
    public nonisolated let completion: any CompletionState
    /// One array per file; pad files stay empty.
    private var contents: [[UInt8]]
    private var isClosed = false
    private var writeFailure: StorageError?
    /// How many times `flush` ran, for tests that expect a flush.
    public private(set) var flushCount = 0

    public init(metainfo: Metainfo, completion: any CompletionState, stream: [UInt8]? = nil) {
        self.init(layout: StorageLayout(metainfo: metainfo), completion: completion, stream: stream)
    }

    /// `stream`, when given, is the torrent's whole byte stream (pad files included); its data files
    /// start out holding their part of it, still unverified until `recheck`.
    public init(layout: StorageLayout, completion: any CompletionState, stream: [UInt8]? = nil) {
        precondition(completion.pieceCount == layout.pieceCount, "completion state is for another torrent")
        precondition(
            stream.map { Int64($0.count) == layout.geometry.totalLength } ?? true, "stream of the wrong length")
        self.layout = layout
        self.completion = completion
        contents = layout.files.map { file in
            guard let stream, !file.isPadding else { return [] }
            return Array(stream[Int(file.offset)..<Int(file.offset + file.length)])
        }
    }

    /// The bytes file `index` holds now (empty for pad files).
    public func fileContents(_ index: Int) -> [UInt8] { contents[index] }

    /// Makes every later write throw `error` (nil stops it), e.g. to test how the engine meets a full disk.
    public func failWrites(with error: StorageError?) { writeFailure = error }

    /// Replaces the bytes of file `index`, as a user or a failing disk might, without touching completion.
    public func overwriteFile(_ index: Int, with bytes: [UInt8]) {
        precondition(!layout.files[index].isPadding, "pad files hold nothing")
        contents[index] = bytes
    }

    // MARK: PieceStore

    public func prepare() throws(StorageError) {
        try checkOpen()
        for index in layout.dataFileIndices {
            let length = Int(layout.files[index].length)
            if contents[index].count > length { contents[index].removeLast(contents[index].count - length) }
            if contents[index].count < length {
                contents[index].append(contentsOf: repeatElement(0, count: length - contents[index].count))
            }
        }
    }

    public func writeVerifiedPiece(_ index: Int, _ bytes: [UInt8]) throws(StorageError) -> PieceWriteResult {
        try checkOpen()
        try layout.checkPiece(index, byteCount: bytes.count)
        guard PieceHash.matches(bytes, expected: layout.expectedHash(ofPiece: index)) else { return .hashMismatch }
        guard !completion.contains(index) else { return .verified }
        if let writeFailure { throw writeFailure }
        for slice in layout.dataSlices(ofPiece: index) {
            let end = Int(slice.offsetInFile + slice.length)
            if contents[slice.fileIndex].count < end {
                contents[slice.fileIndex].append(
                    contentsOf: repeatElement(0, count: end - contents[slice.fileIndex].count))
            }
            let source = Int(slice.offsetInRange)..<Int(slice.offsetInRange + slice.length)
            contents[slice.fileIndex].replaceSubrange(Int(slice.offsetInFile)..<end, with: bytes[source])
        }
        completion.markVerified(index)
        return .verified
    }

    public func readBlock(piece: Int, offset: Int, length: Int) throws(StorageError) -> [UInt8] {
        try checkOpen()
        return try readVerified(try layout.blockRange(piece: piece, offset: offset, length: length))
    }

    public func readRange(fileIndex: Int, range: Range<Int64>) throws(StorageError) -> [UInt8] {
        try checkOpen()
        let file = try layout.readableFile(fileIndex, range: range)
        return try readVerified((file.offset + range.lowerBound)..<(file.offset + range.upperBound))
    }

    public func recheck(progress: RecheckProgress? = nil) throws(StorageError) -> Bitfield {
        try checkOpen()
        completion.reset(to: Bitfield(count: layout.pieceCount))
        var found = Bitfield(count: layout.pieceCount)
        for piece in 0..<layout.pieceCount {
            let range = layout.geometry.byteRange(ofPiece: piece)
            if let bytes = streamBytes(range), PieceHash.matches(bytes, expected: layout.expectedHash(ofPiece: piece)) {
                found[piece] = true
                completion.markVerified(piece)
            }
            progress?.add(bytes: Int64(range.count), pieces: 1)
        }
        return found
    }

    public func flush() throws(StorageError) {
        try checkOpen()
        flushCount += 1
    }

    public func close() {
        isClosed = true
    }

    // MARK: Internals

    private func checkOpen() throws(StorageError) {
        if isClosed { throw .closed }
    }

    private func readVerified(_ range: Range<Int64>) throws(StorageError) -> [UInt8] {
        let pieces = layout.geometry.pieces(covering: range)
        if let missing = pieces.first(where: { !completion.contains($0) }) { throw .notVerified(piece: missing) }
        guard let bytes = streamBytes(range) else {
            // As on disk: every verified piece past the short file's end is gone.
            let short = layout.fileMap.slices(for: range).first {
                !layout.files[$0.fileIndex].isPadding && contents[$0.fileIndex].count < Int($0.offsetInFile + $0.length)
            }!
            let file = layout.files[short.fileIndex]
            let end = file.offset + Int64(contents[short.fileIndex].count)
            for piece in layout.geometry.pieces(covering: end..<file.byteRange.upperBound) {
                completion.markMissing(piece)
            }
            throw .changedOnDisk(path: layout.relativePath(ofFile: short.fileIndex))
        }
        return bytes
    }

    /// The bytes of `range` of the stream, zeros for pad files; nil when a file is too short.
    private func streamBytes(_ range: Range<Int64>) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: Int(range.count))
        for slice in layout.fileMap.slices(for: range) where !layout.files[slice.fileIndex].isPadding {
            let file = contents[slice.fileIndex]
            let start = Int(slice.offsetInFile)
            let end = start + Int(slice.length)
            guard file.count >= end else { return nil }
            let target = Int(slice.offsetInRange)
            bytes.replaceSubrange(target..<(target + Int(slice.length)), with: file[start..<end])
        }
        return bytes
    }
}
