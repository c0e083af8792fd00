import GRDB
import TorrentModel

extension StateStore {
    /// Adds payload bytes sent and received since the last call. Deltas, not totals, so the engine
    /// never has to read before it writes and two sessions of the same torrent cannot overwrite
    /// each other's counts.
    public func addTransfer(infoHash: InfoHash, uploaded: Int64, downloaded: Int64) throws(StateStoreError) {
        precondition(uploaded >= 0 && downloaded >= 0, "transfer deltas are never negative")
        try write("add transfer totals of torrent \(infoHash)") { db in
            try Self.requireTorrent(db, infoHash)
            try db.execute(
                sql: """
                    INSERT INTO transferTotals (infohash, uploaded, downloaded) VALUES (?, ?, ?)
                    ON CONFLICT (infohash) DO UPDATE SET
                        uploaded = uploaded + excluded.uploaded,
                        downloaded = downloaded + excluded.downloaded
                    """,
                arguments: [infoHash.hex, uploaded, downloaded])
        }
    }

    /// Everything a torrent has sent and received; zero when nothing was recorded.
    public func totals(infoHash: InfoHash) throws(StateStoreError) -> TransferTotals {
        let record = try read("read transfer totals of torrent \(infoHash)") { db in
            try TransferTotalsRecord.fetchOne(db, key: infoHash.hex)
        }
        guard let record else { return .zero }
        return TransferTotals(uploaded: record.uploaded, downloaded: record.downloaded)
    }
}
