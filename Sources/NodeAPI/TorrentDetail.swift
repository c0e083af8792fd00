import Foundation
import TorrentModel

/// Everything about one torrent: what `GET /api/v1/torrents/{ref}` answers. In JSON the summary's
/// keys sit at the top level beside the detail's own.
@dynamicMemberLookup
public struct TorrentDetail: Codable, Equatable, Sendable {
    public var summary: TorrentSummary
    /// The folder the torrent's files are saved under.
    public var savePath: String
    /// Bytes sent to peers since the torrent was added (all sessions of the node).
    public var uploadedTotal: Int64
    /// Bytes received from peers since the torrent was added, whether or not they verified.
    public var downloadedTotal: Int64
    /// 0 while a magnet's metadata is unknown.
    public var pieceCount: Int
    /// Bytes per piece; 0 while a magnet's metadata is unknown.
    public var pieceLength: Int
    /// The verified pieces as a bitfield in BitTorrent wire order (BEP 3: piece 0 is the high bit of
    /// the first byte, spare bits zero), base64 encoded: `ceil(pieceCount / 8)` bytes before encoding.
    public var pieces: String
    /// Data files in torrent order (pad files left out).
    public var files: [TorrentFileInfo]
    /// Connected peers.
    public var peerList: [PeerInfo]
    /// The DHT's figures for this torrent; nil without DHT or for a private torrent.
    public var dht: DHTInfo?

    public init(
        summary: TorrentSummary, savePath: String, uploadedTotal: Int64 = 0, downloadedTotal: Int64 = 0,
        pieceLength: Int, pieces: Bitfield, files: [TorrentFileInfo], peerList: [PeerInfo] = [], dht: DHTInfo? = nil
    ) {
        self.dht = dht
        self.summary = summary
        self.savePath = savePath
        self.uploadedTotal = uploadedTotal
        self.downloadedTotal = downloadedTotal
        self.pieceCount = pieces.count
        self.pieceLength = pieceLength
        self.pieces = Self.encodePieces(pieces)
        self.files = files
        self.peerList = peerList
    }

    /// The summary's fields, read straight off the detail (`detail.progress`).
    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<TorrentSummary, Value>) -> Value {
        get { summary[keyPath: keyPath] }
        set { summary[keyPath: keyPath] = newValue }
    }

    /// The verified pieces; nil when ``pieces`` is not valid base64 of a bitfield of ``pieceCount`` bits.
    public var pieceBitfield: Bitfield? {
        Self.decodePieces(pieces, count: pieceCount)
    }

    /// Base64 of a bitfield's wire bytes.
    public static func encodePieces(_ bitfield: Bitfield) -> String {
        Data(bitfield.bytes).base64EncodedString()
    }

    /// Reads ``pieces`` back; nil for bad base64, a wrong length or a set spare bit.
    public static func decodePieces(_ base64: String, count: Int) -> Bitfield? {
        guard let data = Data(base64Encoded: base64) else { return nil }
        return Bitfield(wireBytes: [UInt8](data), count: count)
    }

    enum CodingKeys: String, CodingKey {
        case savePath, uploadedTotal, downloadedTotal, pieceCount, pieceLength, pieces, files, peerList
    }

    public init(from decoder: any Decoder) throws {
        summary = try TorrentSummary(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        savePath = try container.decode(String.self, forKey: .savePath)
        uploadedTotal = try container.decode(Int64.self, forKey: .uploadedTotal)
        downloadedTotal = try container.decode(Int64.self, forKey: .downloadedTotal)
        pieceCount = try container.decode(Int.self, forKey: .pieceCount)
        pieceLength = try container.decode(Int.self, forKey: .pieceLength)
        pieces = try container.decode(String.self, forKey: .pieces)
        files = try container.decode([TorrentFileInfo].self, forKey: .files)
        peerList = try container.decode([PeerInfo].self, forKey: .peerList)
    }

    public func encode(to encoder: any Encoder) throws {
        try summary.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(savePath, forKey: .savePath)
        try container.encode(uploadedTotal, forKey: .uploadedTotal)
        try container.encode(downloadedTotal, forKey: .downloadedTotal)
        try container.encode(pieceCount, forKey: .pieceCount)
        try container.encode(pieceLength, forKey: .pieceLength)
        try container.encode(pieces, forKey: .pieces)
        try container.encode(files, forKey: .files)
        try container.encode(peerList, forKey: .peerList)
    }
}
