import GRDB

/// A row of `trackerSwarm`: how many downloads a swarm of the tracker has seen complete (announces
/// with `event=completed`), the `downloaded` figure of a scrape, kept across tracker restarts.
struct TrackerSwarmRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "trackerSwarm"

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case infoHash = "infohash"
        case completed
    }

    var infoHash: String
    var completed: Int
}
