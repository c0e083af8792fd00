import Foundation

/// One torrent of the node's library at a glance: what `GET /api/v1/torrents` lists.
///
/// Sizes are bytes, rates bytes per second averaged over the last few seconds, dates ISO 8601 in
/// UTC. Every key is always present; `completedAt` is `null` until every wanted piece is had.
public struct TorrentSummary: Codable, Equatable, Sendable {
    /// 40 lowercase hex digits.
    public var infoHash: String
    /// The torrent's name; for a magnet without metadata, its `dn` or the infohash.
    public var name: String
    public var state: TorrentState
    /// Verified bytes of the wanted files over their total, 0...1.
    public var progress: Double
    /// The torrent's total size (pad files included); 0 while a magnet's metadata is unknown.
    public var totalBytes: Int64
    /// Bytes that are on disk and match their piece hashes.
    public var verifiedBytes: Int64
    public var downloadRate: Int64
    public var uploadRate: Int64
    /// Connected peers.
    public var peers: Int
    public var addedAt: Date
    /// When every wanted piece was first had.
    public var completedAt: Date?

    public init(
        infoHash: String, name: String, state: TorrentState, progress: Double, totalBytes: Int64,
        verifiedBytes: Int64, downloadRate: Int64 = 0, uploadRate: Int64 = 0, peers: Int = 0, addedAt: Date,
        completedAt: Date? = nil
    ) {
        self.infoHash = infoHash
        self.name = name
        self.state = state
        self.progress = progress
        self.totalBytes = totalBytes
        self.verifiedBytes = verifiedBytes
        self.downloadRate = downloadRate
        self.uploadRate = uploadRate
        self.peers = peers
        self.addedAt = addedAt
        self.completedAt = completedAt
    }

    enum CodingKeys: String, CodingKey {
        case infoHash, name, state, progress, totalBytes, verifiedBytes, downloadRate, uploadRate, peers, addedAt
        case completedAt
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        infoHash = try container.decode(String.self, forKey: .infoHash)
        name = try container.decode(String.self, forKey: .name)
        state = try container.decode(TorrentState.self, forKey: .state)
        progress = try container.decode(Double.self, forKey: .progress)
        totalBytes = try container.decode(Int64.self, forKey: .totalBytes)
        verifiedBytes = try container.decode(Int64.self, forKey: .verifiedBytes)
        downloadRate = try container.decode(Int64.self, forKey: .downloadRate)
        uploadRate = try container.decode(Int64.self, forKey: .uploadRate)
        peers = try container.decode(Int.self, forKey: .peers)
        addedAt = try container.decode(Date.self, forKey: .addedAt)
        completedAt = try container.decodeIfPresent(Date.self, forKey: .completedAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(infoHash, forKey: .infoHash)
        try container.encode(name, forKey: .name)
        try container.encode(state, forKey: .state)
        try container.encode(progress, forKey: .progress)
        try container.encode(totalBytes, forKey: .totalBytes)
        try container.encode(verifiedBytes, forKey: .verifiedBytes)
        try container.encode(downloadRate, forKey: .downloadRate)
        try container.encode(uploadRate, forKey: .uploadRate)
        try container.encode(peers, forKey: .peers)
        try container.encode(addedAt, forKey: .addedAt)
        if let completedAt {
            try container.encode(completedAt, forKey: .completedAt)
        } else {
            try container.encodeNil(forKey: .completedAt)
        }
    }
}
