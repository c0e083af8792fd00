import Foundation
import Synchronization
import TorrentModel

/// A library kept in memory only, with the same rules as `StateStore`: for tests of the engine and
/// the CLI that should not need SQLite.
public final class MemoryTorrentLibrary: TorrentLibrary {
    private let records: Mutex<[InfoHash: TorrentRecord]>

    public init(_ records: [TorrentRecord] = []) {
        self.records = Mutex(Dictionary(records.map { ($0.infoHash, $0) }, uniquingKeysWith: { _, last in last }))
    }

    public func addTorrent(_ record: TorrentRecord) throws(StateStoreError) {
        try record.validate()
        try records.withLock { (records) throws(StateStoreError) in
            guard records[record.infoHash] == nil else { throw .duplicateTorrent(record.infoHash) }
            records[record.infoHash] = record
        }
    }

    public func torrent(infoHash: InfoHash) -> TorrentRecord? {
        records.withLock { $0[infoHash] }
    }

    public func allTorrents() -> [TorrentRecord] {
        records.withLock { Array($0.values) }.sorted(by: Self.libraryOrder)
    }

    @discardableResult
    public func removeTorrent(infoHash: InfoHash) -> Bool {
        records.withLock { $0.removeValue(forKey: infoHash) != nil }
    }

    public func setState(_ state: TorrentRunState, for infoHash: InfoHash) throws(StateStoreError) {
        try update(infoHash) { $0.state = state }
    }

    public func setFilePriorities(_ priorities: [Int], for infoHash: InfoHash) throws(StateStoreError) {
        try update(infoHash) { $0.filePriorities = priorities }
    }

    public func setQueuePosition(_ position: Int, for infoHash: InfoHash) throws(StateStoreError) {
        try update(infoHash) { $0.queuePosition = position }
    }

    public func setMetainfo(_ metainfo: [UInt8], for infoHash: InfoHash) throws(StateStoreError) {
        try update(infoHash) { $0.metainfo = metainfo }
    }

    public func setCompletedAt(_ date: Date?, for infoHash: InfoHash) throws(StateStoreError) {
        try update(infoHash) { $0.completedAt = date }
    }

    private func update(_ infoHash: InfoHash, _ change: (inout TorrentRecord) -> Void) throws(StateStoreError) {
        try records.withLock { (records) throws(StateStoreError) in
            guard records[infoHash] != nil else { throw .unknownTorrent(infoHash) }
            change(&records[infoHash]!)
        }
    }
}
