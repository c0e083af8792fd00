import TorrentModel

/// An announce as the registry takes it: already checked, its address the one the tracker saw.
public struct RegistryAnnounce: Sendable {
    public var infoHash: InfoHash
    public var peerID: TrackerPeerID
    /// The source address of the request with the port the client announced.
    public var address: TrackerPeerAddress
    /// `left == 0`.
    public var isSeed: Bool
    public var event: AnnounceEvent
    /// Peers wanted, already capped by the tracker.
    public var numWant: Int

    public init(
        infoHash: InfoHash, peerID: TrackerPeerID, address: TrackerPeerAddress, isSeed: Bool, event: AnnounceEvent,
        numWant: Int
    ) {
        self.infoHash = infoHash
        self.peerID = peerID
        self.address = address
        self.isSeed = isSeed
        self.event = event
        self.numWant = numWant
    }
}

/// What the registry answers an announce with.
public struct RegistryAnswer: Sendable {
    public var peers: [TrackedPeer]
    public var stats: ScrapeStats
    /// The peer had announced less than `minimumInterval` ago without an event.
    public var announcedTooSoon: Bool

    public init(peers: [TrackedPeer], stats: ScrapeStats, announcedTooSoon: Bool = false) {
        self.peers = peers
        self.stats = stats
        self.announcedTooSoon = announcedTooSoon
    }
}
