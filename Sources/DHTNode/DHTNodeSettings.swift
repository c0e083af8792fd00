import DHT
import TorrentModel

/// Everything a running DHT node may be tuned by, in one place: the pure module's limits (table, store,
/// rate limiter, lookups) plus the service's own timers and queue depths. Times are seconds.
public struct DHTNodeSettings: Sendable {
    /// The well-known public routers (BitTorrent Inc., Transmission, µTorrent): the default way into the
    /// Mainline DHT for a node that remembers no nodes. Tests always pass loopback nodes instead.
    public static let publicRouters: [PeerAddress] = [
        PeerAddress(host: "router.bittorrent.com", port: 6881),
        PeerAddress(host: "dht.transmissionbt.com", port: 6881),
        PeerAddress(host: "router.utorrent.com", port: 6881),
    ]

    /// The bootstrap nodes when none are configured: the public routers, or none for a node on a loopback
    /// address (its socket cannot reach them; tests and local swarms name their own).
    public static func defaultBootstrapNodes(listeningOn host: String) -> [PeerAddress] {
        host.hasPrefix("127.") || host == "::1" || host == "localhost" ? [] : publicRouters
    }

    /// Our node ID; nil takes the snapshot's, or a random one.
    public var nodeID: NodeID?
    /// Where to start when the routing table is nearly empty.
    public var bootstrapNodes: [PeerAddress]
    public var routingTable: RoutingTable.Settings
    public var peerStore: PeerStore.Settings
    public var rateLimiter: DHTRateLimiter.Settings
    public var lookup: Lookup.Settings
    /// Pending queries at most, and their stall and full timeouts.
    public var transactions: TransactionTableSettings

    /// Datagrams waiting for the node's task at most; under a flood the oldest give way to new ones.
    public var inboundQueueDepth: Int
    /// Lookups running at once (getPeers, announce, bootstrap, refresh); more wait for none: they end empty.
    public var maximumConcurrentLookups: Int
    /// How often timeouts are checked.
    public var tickInterval: Double
    /// How often buckets, questionable nodes and the bootstrap are looked at.
    public var maintenanceInterval: Double
    /// Questionable nodes pinged per maintenance round at most.
    public var pingsPerMaintenance: Int
    /// Bucket refreshes started per maintenance round at most.
    public var refreshesPerMaintenance: Int
    /// With fewer nodes than a bucket's worth, bootstrap again this often.
    public var rebootstrapInterval: Double
    /// How often expired announces leave the peer store.
    public var peerStoreExpiryInterval: Double
    /// Ping back a node whose query was answered short (it has not proven its address) while fewer than
    /// this share of the pending table is in use, so ping-backs never crowd out our own lookups.
    public var pingBackShareOfPending: Double
    /// `v` in our packets: two client letters and two version bytes.
    public var version: [UInt8]?

    public init(
        nodeID: NodeID? = nil, bootstrapNodes: [PeerAddress] = DHTNodeSettings.publicRouters,
        routingTable: RoutingTable.Settings = RoutingTable.Settings(),
        peerStore: PeerStore.Settings = PeerStore.Settings(),
        rateLimiter: DHTRateLimiter.Settings = DHTRateLimiter.Settings(), lookup: Lookup.Settings = Lookup.Settings(),
        transactions: TransactionTableSettings = TransactionTableSettings(), inboundQueueDepth: Int = 512,
        maximumConcurrentLookups: Int = 32, tickInterval: Double = 0.25, maintenanceInterval: Double = 10,
        pingsPerMaintenance: Int = 8, refreshesPerMaintenance: Int = 2, rebootstrapInterval: Double = 60,
        peerStoreExpiryInterval: Double = 60, pingBackShareOfPending: Double = 0.5,
        version: [UInt8]? = Array("SH".utf8) + [0, 1]
    ) {
        self.nodeID = nodeID
        self.bootstrapNodes = bootstrapNodes
        self.routingTable = routingTable
        self.peerStore = peerStore
        self.rateLimiter = rateLimiter
        self.lookup = lookup
        self.transactions = transactions
        self.inboundQueueDepth = inboundQueueDepth
        self.maximumConcurrentLookups = maximumConcurrentLookups
        self.tickInterval = tickInterval
        self.maintenanceInterval = maintenanceInterval
        self.pingsPerMaintenance = pingsPerMaintenance
        self.refreshesPerMaintenance = refreshesPerMaintenance
        self.rebootstrapInterval = rebootstrapInterval
        self.peerStoreExpiryInterval = peerStoreExpiryInterval
        self.pingBackShareOfPending = pingBackShareOfPending
        self.version = version
    }
}
