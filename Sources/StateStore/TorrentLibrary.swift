import Foundation
import TorrentModel

/// The torrents a node knows and what the user asked it to do with each. The engine talks to this
/// protocol so it can be tested with `MemoryTorrentLibrary`; the node uses `StateStore`.
///
/// Implementations behave alike: setters on a torrent that is not in the library throw
/// `unknownTorrent`, adding one twice throws `duplicateTorrent`, and `allTorrents` orders by
/// queue position, then by when each was added, then by infohash.
public protocol TorrentLibrary: Sendable {
    /// Adds a torrent; it must have metainfo or a magnet link.
    func addTorrent(_ record: TorrentRecord) throws(StateStoreError)
    func torrent(infoHash: InfoHash) throws(StateStoreError) -> TorrentRecord?
    func allTorrents() throws(StateStoreError) -> [TorrentRecord]
    /// Removes a torrent and everything stored about it; false when it was not there. Its files on
    /// disk are not touched.
    @discardableResult
    func removeTorrent(infoHash: InfoHash) throws(StateStoreError) -> Bool
    func setState(_ state: TorrentRunState, for infoHash: InfoHash) throws(StateStoreError)
    func setFilePriorities(_ priorities: [Int], for infoHash: InfoHash) throws(StateStoreError)
    func setQueuePosition(_ position: Int, for infoHash: InfoHash) throws(StateStoreError)
    /// Stores the metadata of a torrent added by magnet, once it arrived and matched the infohash.
    func setMetainfo(_ metainfo: [UInt8], for infoHash: InfoHash) throws(StateStoreError)
    func setCompletedAt(_ date: Date?, for infoHash: InfoHash) throws(StateStoreError)
}

extension TorrentLibrary {
    /// The library's order: queue position, then age, then infohash, so the order is total and the
    /// in-memory and SQLite libraries agree.
    static func libraryOrder(_ lhs: TorrentRecord, _ rhs: TorrentRecord) -> Bool {
        if lhs.queuePosition != rhs.queuePosition { return lhs.queuePosition < rhs.queuePosition }
        if lhs.addedAt != rhs.addedAt { return lhs.addedAt < rhs.addedAt }
        return lhs.infoHash < rhs.infoHash
    }
}
