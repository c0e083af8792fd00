/// One peer of a swarm, as the tracker remembers it between announces.
public struct TrackedPeer: Hashable, Sendable {
    /// The address it connected from, with the port it announced.
    public var address: TrackerPeerAddress
    public var peerID: TrackerPeerID
    /// It announced `left=0`.
    public var isSeed: Bool
    /// The registry clock (seconds) at its last announce; it expires `peerTimeout` after.
    public var lastSeen: UInt32

    public init(address: TrackerPeerAddress, peerID: TrackerPeerID, isSeed: Bool, lastSeen: UInt32) {
        self.address = address
        self.peerID = peerID
        self.isSeed = isSeed
        self.lastSeen = lastSeen
    }
}
