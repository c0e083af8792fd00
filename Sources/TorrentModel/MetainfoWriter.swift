import Bencode

/// What goes into a new torrent besides its files and hashes.
public struct TorrentOptions: Sendable {
    /// Tracker tiers (BEP 12); the first tracker of the first tier also goes into `announce`.
    public var trackerTiers: [[String]]
    public var webSeeds: [String]
    public var isPrivate: Bool
    public var comment: String?
    public var createdBy: String?
    /// Seconds since 1970; outside `info`, so it never changes the infohash.
    public var creationDate: Int64?
    /// More top-level keys, outside `info` (what `shoal ingest` notes of its input, say).
    public var extraFields: [String: BencodeValue] = [:]

    public init(
        trackerTiers: [[String]] = [], webSeeds: [String] = [], isPrivate: Bool = false, comment: String? = nil,
        createdBy: String? = nil, creationDate: Int64? = nil, extraFields: [String: BencodeValue] = [:]
    ) {
        self.extraFields = extraFields
        self.trackerTiers = trackerTiers
        self.webSeeds = webSeeds
        self.isPrivate = isPrivate
        self.comment = comment
        self.createdBy = createdBy
        self.creationDate = creationDate
    }
}

/// Writes a .torrent file. `info` holds only what the content determines (name, files, piece length,
/// hashes, private flag): no dates and no tool names, so the same content gives the same infohash.
public enum MetainfoWriter {
    /// The `info` dictionary for files laid out by `TorrentLayout`.
    /// `isMultiFile` false needs exactly one file, named `name`.
    public static func info(
        name: String, files: [TorrentFile], isMultiFile: Bool, pieceLength: Int, pieceHashes: [UInt8],
        isPrivate: Bool
    ) -> BencodeValue {
        var info: [[UInt8]: BencodeValue] = [
            Array("name".utf8): .string(name),
            Array("piece length".utf8): .integer(Int64(pieceLength)),
            Array("pieces".utf8): .bytes(pieceHashes),
        ]
        if isMultiFile {
            info[Array("files".utf8)] = .list(
                files.map { file in
                    var entry: [[UInt8]: BencodeValue] = [
                        Array("length".utf8): .integer(file.length),
                        Array("path".utf8): .list(file.path.map { .string($0) }),
                    ]
                    if file.isPadding { entry[Array("attr".utf8)] = "p" }
                    return .dictionary(entry)
                })
        } else {
            precondition(files.count == 1, "a single-file torrent has one file")
            info[Array("length".utf8)] = .integer(files[0].length)
        }
        if isPrivate { info[Array("private".utf8)] = 1 }
        return .dictionary(info)
    }

    /// The whole .torrent around an `info` dictionary kept as the bytes it arrived in (from a magnet link's
    /// peers): re-encoding it could change a byte, and with it the infohash.
    public static func torrent(rawInfo: [UInt8], options: TorrentOptions) -> [UInt8] {
        // Encoded with a placeholder whose encoding cannot occur elsewhere, which is then swapped for the bytes.
        let placeholder = Array("\u{0}shoal raw info dictionary\u{0}".utf8)
        let encoded = torrent(info: .bytes(placeholder), options: options)
        let marker = BencodeEncoder.encode(.bytes(placeholder))
        guard let start = encoded.firstRange(of: marker) else { preconditionFailure("the placeholder was not encoded") }
        return Array(encoded[..<start.lowerBound]) + rawInfo + Array(encoded[start.upperBound...])
    }

    /// The whole .torrent: `info` plus trackers, web seeds and descriptive fields.
    public static func torrent(info: BencodeValue, options: TorrentOptions) -> [UInt8] {
        var root: [[UInt8]: BencodeValue] = [Array("info".utf8): info]
        let tiers = options.trackerTiers.filter { !$0.isEmpty }
        if let first = tiers.first?.first {
            root[Array("announce".utf8)] = .string(first)
            if tiers.count > 1 || tiers[0].count > 1 {
                root[Array("announce-list".utf8)] = .list(tiers.map { .list($0.map { .string($0) }) })
            }
        }
        if options.webSeeds.count == 1 {
            root[Array("url-list".utf8)] = .string(options.webSeeds[0])
        } else if !options.webSeeds.isEmpty {
            root[Array("url-list".utf8)] = .list(options.webSeeds.map { .string($0) })
        }
        if let comment = options.comment { root[Array("comment".utf8)] = .string(comment) }
        if let createdBy = options.createdBy { root[Array("created by".utf8)] = .string(createdBy) }
        if let creationDate = options.creationDate { root[Array("creation date".utf8)] = .integer(creationDate) }
        for (key, value) in options.extraFields where root[Array(key.utf8)] == nil { root[Array(key.utf8)] = value }
        return BencodeEncoder.encode(.dictionary(root))
    }
}
