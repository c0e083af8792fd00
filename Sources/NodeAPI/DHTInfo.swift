/// The DHT as one torrent sees it, in `GET /api/v1/torrents/{ref}` (`dht`; absent when the node runs no DHT
/// or the torrent is private).
public struct DHTInfo: Codable, Equatable, Sendable {
    /// Nodes in the node's routing table, and how many of them are good (answered in the last 15 minutes).
    public var nodes: Int
    public var goodNodes: Int
    /// Announce rounds for this torrent so far (each a `get_peers` lookup and `announce_peer`s).
    public var rounds: Int
    /// Nodes that accepted the last announce; nil before the first round ended.
    public var lastAcknowledged: Int?
    /// Peers the rounds returned, repeats included.
    public var peersFound: Int

    public init(nodes: Int, goodNodes: Int, rounds: Int, lastAcknowledged: Int?, peersFound: Int) {
        self.nodes = nodes
        self.goodNodes = goodNodes
        self.rounds = rounds
        self.lastAcknowledged = lastAcknowledged
        self.peersFound = peersFound
    }
}
