import Foundation
import GRDB
import TorrentModel

/// One torrent in the node's library: what to fetch or serve, where its files live, and what the
/// user asked the node to do with it. A row of the `torrent` table.
public struct TorrentRecord: Equatable, Sendable {
    public var infoHash: InfoHash
    /// The raw bencoded .torrent bytes, exactly as received or written (the infohash is the SHA-1
    /// of their `info`); nil for a magnet whose metadata has not arrived yet.
    public var metainfo: [UInt8]?
    /// The magnet link the torrent was added from, if any; it keeps the trackers and peers a magnet
    /// names until the metadata arrives.
    public var magnet: String?
    public var name: String
    /// The folder the torrent's files are saved under.
    public var savePath: String
    public var state: TorrentRunState
    public var addedAt: Date
    /// When every wanted piece was first had; nil while incomplete.
    public var completedAt: Date?
    /// One small number per file, in the torrent's file order; 0 means "do not download". An empty
    /// array means "all files, normal priority" (a magnet does not know its files yet).
    public var filePriorities: [Int]
    /// Lower runs first when the node limits how many torrents are active (schema v2).
    public var queuePosition: Int

    public init(
        infoHash: InfoHash, metainfo: [UInt8]? = nil, magnet: String? = nil, name: String, savePath: String,
        state: TorrentRunState = .downloading, addedAt: Date, completedAt: Date? = nil, filePriorities: [Int] = [],
        queuePosition: Int = 0
    ) {
        self.infoHash = infoHash
        self.metainfo = metainfo
        self.magnet = magnet
        self.name = name
        self.savePath = savePath
        self.state = state
        self.addedAt = addedAt
        self.completedAt = completedAt
        self.filePriorities = filePriorities
        self.queuePosition = queuePosition
    }

    /// A torrent needs its metainfo or a magnet to be fetched at all; both stores refuse one with neither.
    func validate() throws(StateStoreError) {
        guard metainfo != nil || magnet != nil else {
            throw .invalidRecord("torrent \(infoHash) has neither metainfo nor a magnet link")
        }
    }
}

extension TorrentRecord: Codable {
    /// Column names of the `torrent` table.
    enum CodingKeys: String, CodingKey, ColumnExpression {
        case infoHash = "infohash"
        case metainfo, magnet, name, savePath, state, addedAt, completedAt, filePriorities, queuePosition
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let hex = try container.decode(String.self, forKey: .infoHash)
        guard hex.count == 40, let infoHash = InfoHash(hex) else {
            throw DecodingError.dataCorruptedError(
                forKey: .infoHash, in: container, debugDescription: "not a 40-digit hex infohash: \(hex)")
        }
        self.infoHash = infoHash
        metainfo = try container.decodeIfPresent(Data.self, forKey: .metainfo).map { [UInt8]($0) }
        magnet = try container.decodeIfPresent(String.self, forKey: .magnet)
        name = try container.decode(String.self, forKey: .name)
        savePath = try container.decode(String.self, forKey: .savePath)
        state = try container.decode(TorrentRunState.self, forKey: .state)
        addedAt = try container.decode(Date.self, forKey: .addedAt)
        completedAt = try container.decodeIfPresent(Date.self, forKey: .completedAt)
        filePriorities = try container.decode([Int].self, forKey: .filePriorities)
        queuePosition = try container.decode(Int.self, forKey: .queuePosition)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(infoHash.hex, forKey: .infoHash)
        if let metainfo {
            try container.encode(Data(metainfo), forKey: .metainfo)
        } else {
            try container.encodeNil(forKey: .metainfo)
        }
        if let magnet {
            try container.encode(magnet, forKey: .magnet)
        } else {
            try container.encodeNil(forKey: .magnet)
        }
        try container.encode(name, forKey: .name)
        try container.encode(savePath, forKey: .savePath)
        try container.encode(state, forKey: .state)
        try container.encode(addedAt, forKey: .addedAt)
        if let completedAt {
            try container.encode(completedAt, forKey: .completedAt)
        } else {
            try container.encodeNil(forKey: .completedAt)
        }
        try container.encode(filePriorities, forKey: .filePriorities)
        try container.encode(queuePosition, forKey: .queuePosition)
    }
}

extension TorrentRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "torrent"

    /// Seconds since 1970 as REAL: exact to the microsecond and sortable, unlike GRDB's default text.
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        .timeIntervalSince1970
    }

    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        .timeIntervalSince1970
    }
}
