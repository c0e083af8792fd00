import GRDB

/// A row of `transferTotals`: payload bytes moved for one torrent over the node's whole life, so
/// ratios survive restarts.
struct TransferTotalsRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "transferTotals"

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case infoHash = "infohash"
        case uploaded, downloaded
    }

    var infoHash: String
    var uploaded: Int64
    var downloaded: Int64
}
