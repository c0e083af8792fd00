import GRDB

extension StateStore {
    /// The value stored under `key`, or nil.
    public func setting(_ key: String) throws(StateStoreError) -> String? {
        try read("read setting \(key)") { db in try SettingRecord.fetchOne(db, key: key)?.value }
    }

    /// Stores `value` under `key`, replacing any earlier value; nil removes the key.
    public func setSetting(_ key: String, _ value: String?) throws(StateStoreError) {
        try write("write setting \(key)") { db in
            if let value {
                try SettingRecord(key: key, value: value).upsert(db)
            } else {
                _ = try SettingRecord.deleteOne(db, key: key)
            }
        }
    }
}
