/// A KRPC response (`y` = `r`). `nodes` holds nodes of both families: the codec writes the IPv4 ones to
/// `nodes` and the IPv6 ones to `nodes6` (BEP 32), and reads both back (IPv4 first).
public struct KRPCResponse: Hashable, Sendable {
    public var senderID: NodeID
    public var nodes: [CompactNodeInfo]
    /// Peers for a `get_peers` (`values`), IPv4 and IPv6 mixed as BEP 32 allows.
    public var values: [DHTEndpoint]
    /// The write token of a `get_peers` answer.
    public var token: [UInt8]?

    public init(senderID: NodeID, nodes: [CompactNodeInfo] = [], values: [DHTEndpoint] = [], token: [UInt8]? = nil) {
        self.senderID = senderID
        self.nodes = nodes
        self.values = values
        self.token = token
    }
}
