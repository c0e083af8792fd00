/// One connected peer as a node's status pages show it.
public struct PeerSummary: Sendable, Hashable {
    /// `host:port` of the far end (for an accepted connection, the peer's outgoing port); nil if unknown.
    public let address: String?
    public let isSeed: Bool
    /// Bytes per second, over the last 20 s.
    public let downloadRate: Double
    public let uploadRate: Double
    /// How we learned of the peer.
    public let source: PeerSource
}
