import DHTNode
import PieceStorage
import StateStore
import StreamingEngine
import SwarmEngine
import TorrentModel
import TrackerClient

/// A torrent of the library that is running: its files, its persisted completion, its swarm session and,
/// when it has trackers, its announcer; when public, its DHT announcer.
final class ActiveTorrent: Sendable {
    let metainfo: Metainfo
    let store: FileStorage
    let completion: PersistentCompletionState
    let session: TorrentSession
    let announcer: Announcer<ContinuousClock>?
    /// Announces it to the DHT and finds peers there; nil for a private torrent or without DHT.
    let dhtAnnouncer: DHTAnnouncer?
    /// For a video torrent: what the streaming routes serve (docs/streaming.md).
    let streamer: StreamingTorrent?

    init(
        metainfo: Metainfo, store: FileStorage, completion: PersistentCompletionState, session: TorrentSession,
        announcer: Announcer<ContinuousClock>?, dhtAnnouncer: DHTAnnouncer?, streamer: StreamingTorrent?
    ) {
        self.dhtAnnouncer = dhtAnnouncer
        self.streamer = streamer
        self.metainfo = metainfo
        self.store = store
        self.completion = completion
        self.session = session
        self.announcer = announcer
    }

    var infoHash: InfoHash { metainfo.infoHash }
}
