import GRDB

/// A row of `trackerTotal`: one tracker-wide counter by name ("announces", "scrapes", "completed"),
/// so the tracker's statistics survive a restart.
struct TrackerTotalRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "trackerTotal"

    var name: String
    var value: Int64
}
