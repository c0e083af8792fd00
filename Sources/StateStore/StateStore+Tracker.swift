import GRDB
import TorrentModel

extension StateStore {
    /// The completed-download count of every swarm the tracker has saved; swarms never saved are absent.
    public func trackerCompletedCounts() throws(StateStoreError) -> [InfoHash: Int] {
        let records = try read("read the tracker's completed counts") { db in try TrackerSwarmRecord.fetchAll(db) }
        var counts: [InfoHash: Int] = [:]
        counts.reserveCapacity(records.count)
        for record in records {
            guard record.infoHash.count == 40, let infoHash = InfoHash(record.infoHash) else {
                throw .invalidRecord("tracker swarm \(record.infoHash) is not a 40-digit hex infohash")
            }
            counts[infoHash] = record.completed
        }
        return counts
    }

    /// Stores these completed-download counts as they are (absolute values, not deltas), replacing the
    /// saved count of each swarm named and keeping the others. One transaction and one prepared
    /// statement however many swarms, so the tracker can flush its whole registry at once.
    public func saveTrackerCompletedCounts(_ counts: [InfoHash: Int]) throws(StateStoreError) {
        if let (infoHash, count) = counts.first(where: { $0.value < 0 }) {
            throw .invalidRecord("tracker swarm \(infoHash) has a negative completed count (\(count))")
        }
        try write("save the tracker's completed counts") { db in
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO trackerSwarm (infohash, completed) VALUES (?, ?)
                    ON CONFLICT (infohash) DO UPDATE SET completed = excluded.completed
                    """)
            for (infoHash, count) in counts {
                try upsert.execute(arguments: [infoHash.hex, count])
            }
        }
    }

    /// The tracker-wide totals saved by name ("announces", "scrapes", "completed", …).
    public func trackerTotals() throws(StateStoreError) -> [String: Int64] {
        let records = try read("read the tracker's totals") { db in try TrackerTotalRecord.fetchAll(db) }
        return Dictionary(uniqueKeysWithValues: records.map { ($0.name, $0.value) })
    }

    /// Stores these totals as they are (absolute values), replacing the saved value of each name given
    /// and keeping the others, in one transaction.
    public func saveTrackerTotals(_ totals: [String: Int64]) throws(StateStoreError) {
        try write("save the tracker's totals") { db in
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO trackerTotal (name, value) VALUES (?, ?)
                    ON CONFLICT (name) DO UPDATE SET value = excluded.value
                    """)
            for (name, value) in totals {
                try upsert.execute(arguments: [name, value])
            }
        }
    }
}
