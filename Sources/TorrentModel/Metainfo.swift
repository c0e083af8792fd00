import Bencode

/// A BitTorrent v1 torrent (BEP 3), validated: safe paths, consistent sizes, hashes for every piece.
public struct Metainfo: Sendable {
    /// The torrent's name: the file name of a single-file torrent, the folder of a multi-file one.
    public var name: String
    public var pieceLength: Int
    /// The SHA-1 of each piece, 20 bytes each, concatenated.
    public var pieceHashes: [UInt8]
    /// Files in the order of the torrent's byte stream, pad files included.
    public var files: [TorrentFile]
    /// True when `info` had `files` (the data lives in a folder named `name`).
    public var isMultiFile: Bool
    /// BEP 27: peers only from the torrent's trackers.
    public var isPrivate: Bool
    /// BEP 12 tiers; a lone `announce` becomes one tier of one tracker.
    public var trackerTiers: [[String]]
    /// BEP 19 web seeds.
    public var webSeeds: [String]
    public var creationDate: Int64?
    public var comment: String?
    public var createdBy: String?
    /// The `info` dictionary exactly as received (or written); the infohash is its SHA-1.
    public var infoBytes: [UInt8]
    public var infoHash: InfoHash

    public var geometry: PieceGeometry {
        PieceGeometry(totalLength: totalLength, pieceLength: pieceLength)
    }

    public var totalLength: Int64 { files.last.map { $0.offset + $0.length } ?? 0 }

    public var pieceCount: Int { pieceHashes.count / InfoHash.byteCount }

    /// All trackers, tiers flattened, without repeats.
    public var trackers: [String] {
        var seen: Set<String> = []
        return trackerTiers.joined().filter { seen.insert($0).inserted }
    }

    /// The files that hold data (pad files left out).
    public var dataFiles: [TorrentFile] { files.filter { !$0.isPadding } }

    /// The 20-byte SHA-1 expected for a piece.
    public func hash(ofPiece index: Int) -> ArraySlice<UInt8> {
        let start = index * InfoHash.byteCount
        return pieceHashes[start..<(start + InfoHash.byteCount)]
    }

    /// A magnet link naming this torrent, its trackers and web seeds.
    public var magnet: MagnetLink {
        MagnetLink(infoHash: infoHash, displayName: name, trackers: trackers, webSeeds: webSeeds)
    }
}
