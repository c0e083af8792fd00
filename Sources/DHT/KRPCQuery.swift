import TorrentModel

/// A KRPC query (`y` = `q`): the sender's ID, the method with its arguments, and which address
/// families it wants nodes of (BEP 32 `want`).
public struct KRPCQuery: Hashable, Sendable {
    public enum Method: Hashable, Sendable {
        case ping
        case findNode(target: NodeID)
        case getPeers(infoHash: InfoHash)
        /// `port` is the sender's peer port, ignored when `impliedPort` says to use the UDP source port
        /// instead (for peers behind NAT). `seed` (libtorrent's extension) marks a complete peer.
        case announcePeer(infoHash: InfoHash, port: UInt16, impliedPort: Bool, token: [UInt8], seed: Bool)

        /// The `q` name.
        public var name: String {
            switch self {
            case .ping: return "ping"
            case .findNode: return "find_node"
            case .getPeers: return "get_peers"
            case .announcePeer: return "announce_peer"
            }
        }
    }

    public var senderID: NodeID
    public var method: Method
    /// Families asked for with `want` (`n4`, `n6`); empty when the query did not say, which means
    /// "the family this packet came over".
    public var want: Set<DHTEndpoint.Family>

    public init(senderID: NodeID, method: Method, want: Set<DHTEndpoint.Family> = []) {
        self.senderID = senderID
        self.method = method
        self.want = want
    }
}
