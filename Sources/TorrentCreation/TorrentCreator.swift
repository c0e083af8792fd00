import Bencode
import Glibc
import TorrentModel

/// Settings for `TorrentCreator`.
public struct CreationRequest: Sendable {
    public var path: String
    /// Nil picks one with `PieceLengthPolicy.automatic`.
    public var pieceLength: Int?
    /// BEP 47: pad so every file starts on a piece boundary.
    public var alignFiles: Bool
    public var options: TorrentOptions
    public var threadCount: Int

    public init(
        path: String, pieceLength: Int? = nil, alignFiles: Bool = false, options: TorrentOptions = TorrentOptions(),
        threadCount: Int = CreationRequest.defaultThreadCount
    ) {
        self.path = path
        self.pieceLength = pieceLength
        self.alignFiles = alignFiles
        self.options = options
        self.threadCount = threadCount
    }

    /// One thread per online core.
    public static var defaultThreadCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}

/// A torrent made from disk: its encoded bytes and the parsed, validated model of them.
public struct CreatedTorrent: Sendable {
    public var bytes: [UInt8]
    public var metainfo: Metainfo
}

/// Makes a torrent from a file or folder: scan, lay out, hash, write, and parse the result back, so
/// what Shoal writes has passed the same checks as what it reads.
public struct TorrentCreator: Sendable {
    public var request: CreationRequest

    public init(_ request: CreationRequest) {
        self.request = request
    }

    public func scan() throws(CreationError) -> ScannedContent {
        try ContentScanner.scan(path: request.path)
    }

    /// Hashes `content` and builds the torrent; `progress` counts bytes hashed.
    public func create(
        from content: ScannedContent, progress: ProgressCounter? = nil
    ) throws(CreationError)
        -> CreatedTorrent
    {
        let pieceLength = request.pieceLength ?? PieceLengthPolicy.automatic(totalLength: content.totalLength)
        guard PieceLengthPolicy.isAcceptable(pieceLength) else { throw .badPieceLength(pieceLength) }
        guard content.totalLength > 0 else { throw .noFiles(request.path + " (all files are empty)") }

        let files = TorrentLayout.place(
            content.sources, pieceLength: pieceLength, alignToPieces: request.alignFiles && content.isMultiFile)
        let geometry = PieceGeometry(
            totalLength: files.last.map { $0.offset + $0.length } ?? 0, pieceLength: pieceLength)
        guard geometry.pieceCount <= TorrentLimits.maximumPieceCount else {
            throw .tooLarge("\(geometry.pieceCount) pieces; choose a larger --piece-length")
        }
        let diskPaths = files.map { content.diskPath(of: $0.path) }
        let hasher = PieceHasher(
            files: files, diskPaths: diskPaths, pieceLength: pieceLength, threadCount: request.threadCount)
        let hashes = try hasher.hashAll(progress: progress)
        try Self.checkUnchanged(files: files, diskPaths: diskPaths)

        let info = MetainfoWriter.info(
            name: content.name, files: files, isMultiFile: content.isMultiFile, pieceLength: pieceLength,
            pieceHashes: hashes, isPrivate: request.options.isPrivate)
        let bytes = MetainfoWriter.torrent(info: info, options: request.options)
        do {
            return CreatedTorrent(bytes: bytes, metainfo: try Metainfo(bytes: bytes))
        } catch {
            throw .badName(request.path, reason: error.description)
        }
    }

    /// A file that grew while it was hashed would make a torrent of bytes that no longer exist.
    private static func checkUnchanged(files: [TorrentFile], diskPaths: [String]) throws(CreationError) {
        for (file, path) in zip(files, diskPaths) where !file.isPadding {
            var info = stat()
            guard stat(path, &info) == 0, Int64(info.st_size) == file.length else {
                throw .changedWhileHashing(path)
            }
        }
    }
}
