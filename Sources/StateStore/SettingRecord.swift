import GRDB

/// A row of `setting`: one node-wide preference as text (ports, limits, folders), so settings
/// changed at run time survive a restart without a config file rewrite.
struct SettingRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "setting"

    var key: String
    var value: String
}
