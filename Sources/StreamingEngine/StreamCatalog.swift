import Synchronization
import TorrentModel

/// The torrents a process streams, by infohash: what the HTTP routes look requests up in.
public final class StreamCatalog: Sendable {
    private let torrents = Mutex<[InfoHash: StreamingTorrent]>([:])

    public init() {}

    public func add(_ torrent: StreamingTorrent) {
        torrents.withLock { $0[torrent.infoHash] = torrent }
    }

    public func remove(_ infoHash: InfoHash) {
        torrents.withLock { $0[infoHash] = nil }
    }

    public func torrent(_ infoHash: InfoHash) -> StreamingTorrent? {
        torrents.withLock { $0[infoHash] }
    }
}
