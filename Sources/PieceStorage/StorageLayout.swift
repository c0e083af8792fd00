import TorrentModel

/// What a store needs from a torrent: its files, where each lives below the save folder, the piece
/// geometry and the expected hashes. Built from a validated `Metainfo`, so every path is safe.
public struct StorageLayout: Sendable {
    /// The torrent's files in stream order, pad files included (they are never on disk).
    public let files: [TorrentFile]
    /// For each file, its path components below the save folder: `[name]` for a single-file
    /// torrent, `[name] + path` for a multi-file one (the torrent's folder is named `name`).
    public let relativePaths: [[String]]
    public let geometry: PieceGeometry
    public let fileMap: FileMap
    /// 20 bytes per piece, concatenated.
    public let pieceHashes: [UInt8]

    public init(metainfo: Metainfo) {
        files = metainfo.files
        relativePaths = metainfo.files.map { file in
            metainfo.isMultiFile ? [metainfo.name] + file.path : [metainfo.name]
        }
        geometry = metainfo.geometry
        fileMap = FileMap(files: metainfo.files)
        pieceHashes = metainfo.pieceHashes
    }

    public var pieceCount: Int { geometry.pieceCount }

    /// The SHA-1 a piece must have.
    public func expectedHash(ofPiece index: Int) -> ArraySlice<UInt8> {
        let start = index * InfoHash.byteCount
        return pieceHashes[start..<(start + InfoHash.byteCount)]
    }

    /// The slices of the files, pad files left out, that hold a piece.
    public func dataSlices(ofPiece index: Int) -> [FileSlice] {
        fileMap.slices(ofPiece: index, in: geometry).filter { !files[$0.fileIndex].isPadding }
    }

    /// Indices of the files that are stored on disk (not padding).
    public var dataFileIndices: [Int] { files.indices.filter { !files[$0].isPadding } }

    /// `relativePaths[index]` joined with `/`.
    public func relativePath(ofFile index: Int) -> String { relativePaths[index].joined(separator: "/") }
}

extension StorageLayout {
    /// File `index` when `range` (counted from the file's start) may be read from it.
    func readableFile(_ index: Int, range: Range<Int64>) throws(StorageError) -> TorrentFile {
        guard index >= 0 && index < files.count else { throw .outOfRange("file \(index) of \(files.count)") }
        let file = files[index]
        guard !file.isPadding else { throw .outOfRange("file \(index) is a pad file") }
        guard range.lowerBound >= 0, range.upperBound <= file.length else {
            throw .outOfRange("bytes \(range.lowerBound)..<\(range.upperBound) of a \(file.length)-byte file")
        }
        guard range.count <= StorageLimits.maximumReadLength else {
            throw .outOfRange("\(range.count) bytes in one read (at most \(StorageLimits.maximumReadLength))")
        }
        return file
    }

    /// Checks a piece handed in for writing: index in range and exactly the piece's length.
    func checkPiece(_ index: Int, byteCount: Int) throws(StorageError) {
        guard index >= 0 && index < pieceCount else { throw .outOfRange("piece \(index) of \(pieceCount)") }
        let expected = geometry.length(ofPiece: index)
        guard byteCount == expected else { throw .outOfRange("piece \(index) is \(expected) bytes, got \(byteCount)") }
    }

    /// The stream bytes of a block request, checked against the piece's bounds.
    func blockRange(piece: Int, offset: Int, length: Int) throws(StorageError) -> Range<Int64> {
        guard piece >= 0 && piece < pieceCount else { throw .outOfRange("piece \(piece) of \(pieceCount)") }
        let pieceLength = geometry.length(ofPiece: piece)
        guard offset >= 0, length > 0, length <= StorageLimits.maximumReadLength, offset <= pieceLength - length else {
            throw .outOfRange("\(length) bytes at \(offset) in piece \(piece) of \(pieceLength) bytes")
        }
        let start = geometry.byteRange(ofPiece: piece).lowerBound + Int64(offset)
        return start..<(start + Int64(length))
    }
}
