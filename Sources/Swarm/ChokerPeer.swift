/// What the choker needs to know about one connected peer for a round.
public struct ChokerPeer<PeerID: Hashable & Sendable>: Sendable {
    public var id: PeerID
    /// The peer wants something we have.
    public var isInterested: Bool
    /// We are currently choking the peer (as last sent on the wire).
    public var isChoked: Bool
    /// Payload bytes per second the peer sends us.
    public var downloadRate: Double
    /// Payload bytes per second we send the peer.
    public var uploadRate: Double
    /// The peer has sent us nothing for the snub time-out while owing us blocks (`PeerRequestQueue.snubbed`).
    public var isSnubbed: Bool
    /// The peer has every piece, so it never needs our uploads.
    public var isSeed: Bool
    public var connectedAt: ContinuousClock.Instant

    public init(
        id: PeerID, isInterested: Bool, isChoked: Bool, downloadRate: Double = 0, uploadRate: Double = 0,
        isSnubbed: Bool = false, isSeed: Bool = false, connectedAt: ContinuousClock.Instant
    ) {
        self.id = id
        self.isInterested = isInterested
        self.isChoked = isChoked
        self.downloadRate = downloadRate
        self.uploadRate = uploadRate
        self.isSnubbed = isSnubbed
        self.isSeed = isSeed
        self.connectedAt = connectedAt
    }

    /// Payload bytes per second both ways: what `.exchange` leeching ranks by.
    public var exchangeRate: Double { downloadRate + uploadRate }
}
