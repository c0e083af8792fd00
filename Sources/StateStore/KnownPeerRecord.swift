import Foundation
import GRDB

/// A row of `knownPeer`: an address that was part of a torrent's swarm, so a restarted node can
/// dial it before any tracker answers.
struct KnownPeerRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "knownPeer"

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case infoHash = "infohash"
        case host, port, lastSeen
    }

    var infoHash: String
    var host: String
    var port: Int
    var lastSeen: Date

    static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        .timeIntervalSince1970
    }

    static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        .timeIntervalSince1970
    }
}
