import TorrentModel

/// What `DHTNode.announce` did.
public struct DHTAnnounceResult: Sendable, Hashable {
    /// Nodes that accepted our `announce_peer` (answered it without an error).
    public var acknowledged: Int
    /// Nodes we sent it to: the closest nodes to the infohash that gave us a token.
    public var sent: Int
    /// Peers the `get_peers` lookup found on the way.
    public var peers: [PeerAddress]
}
