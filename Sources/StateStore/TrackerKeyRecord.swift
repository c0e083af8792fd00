import Foundation
import GRDB

/// A row of `trackerKey`: a passkey a private tracker accepts in announce and scrape paths, until it
/// is revoked. Revoked rows stay, so a passkey is never handed out twice.
struct TrackerKeyRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "trackerKey"

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case passkey, label, createdAt, revokedAt
    }

    var passkey: String
    var label: String
    var createdAt: Date
    var revokedAt: Date?

    init(_ key: TrackerKey) {
        passkey = key.passkey
        label = key.label
        createdAt = key.createdAt
        revokedAt = key.revokedAt
    }

    var key: TrackerKey { TrackerKey(passkey: passkey, label: label, createdAt: createdAt, revokedAt: revokedAt) }

    static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        .timeIntervalSince1970
    }

    static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        .timeIntervalSince1970
    }
}
