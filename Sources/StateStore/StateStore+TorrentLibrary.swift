import Foundation
import GRDB
import TorrentModel

extension StateStore: TorrentLibrary {
    public func addTorrent(_ record: TorrentRecord) throws(StateStoreError) {
        try record.validate()
        try write("add torrent \(record.infoHash)") { db in
            guard try !TorrentRecord.exists(db, key: record.infoHash.hex) else {
                throw StateStoreError.duplicateTorrent(record.infoHash)
            }
            try record.insert(db)
        }
    }

    public func torrent(infoHash: InfoHash) throws(StateStoreError) -> TorrentRecord? {
        try read("read torrent \(infoHash)") { db in try TorrentRecord.fetchOne(db, key: infoHash.hex) }
    }

    public func allTorrents() throws(StateStoreError) -> [TorrentRecord] {
        try read("read the library") { db in
            try TorrentRecord
                .order(
                    TorrentRecord.CodingKeys.queuePosition, TorrentRecord.CodingKeys.addedAt,
                    TorrentRecord.CodingKeys.infoHash
                )
                .fetchAll(db)
        }
    }

    /// Deletes the torrent's row; its completion, totals and known peers go with it (ON DELETE CASCADE).
    @discardableResult
    public func removeTorrent(infoHash: InfoHash) throws(StateStoreError) -> Bool {
        try write("remove torrent \(infoHash)") { db in try TorrentRecord.deleteOne(db, key: infoHash.hex) }
    }

    public func setState(_ state: TorrentRunState, for infoHash: InfoHash) throws(StateStoreError) {
        try updateTorrent(infoHash, column: .state, to: state.rawValue, operation: "set the state")
    }

    public func setFilePriorities(_ priorities: [Int], for infoHash: InfoHash) throws(StateStoreError) {
        // The same JSON text GRDB writes for the record's array.
        let text = "[" + priorities.map(String.init).joined(separator: ",") + "]"
        try updateTorrent(infoHash, column: .filePriorities, to: text, operation: "set file priorities")
    }

    public func setQueuePosition(_ position: Int, for infoHash: InfoHash) throws(StateStoreError) {
        try updateTorrent(infoHash, column: .queuePosition, to: position, operation: "set the queue position")
    }

    public func setMetainfo(_ metainfo: [UInt8], for infoHash: InfoHash) throws(StateStoreError) {
        try updateTorrent(infoHash, column: .metainfo, to: Data(metainfo), operation: "store the metainfo")
    }

    public func setCompletedAt(_ date: Date?, for infoHash: InfoHash) throws(StateStoreError) {
        try updateTorrent(
            infoHash, column: .completedAt, to: date?.timeIntervalSince1970, operation: "set the completion time")
    }

    private func updateTorrent(
        _ infoHash: InfoHash, column: TorrentRecord.CodingKeys, to value: (any DatabaseValueConvertible)?,
        operation: String
    ) throws(StateStoreError) {
        try write("\(operation) of torrent \(infoHash)") { db in
            try db.execute(
                sql: "UPDATE torrent SET \(column.rawValue) = ? WHERE infohash = ?",
                arguments: [value, infoHash.hex])
            guard db.changesCount > 0 else { throw StateStoreError.unknownTorrent(infoHash) }
        }
    }
}
