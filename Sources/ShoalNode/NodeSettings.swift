import TorrentModel

/// A node's tunables; the defaults are what `shoal node` uses.
public struct NodeSettings: Sendable {
    /// The peer port's address and number (0 picks a free port).
    public var peerHost: String
    public var peerPort: Int
    /// How often verified pieces are made durable and recorded: the data is fsynced, then the completion
    /// of every torrent is written to SQLite. A crash loses at most the pieces verified in one interval
    /// (they are fetched again); it never records a piece whose bytes are not on disk.
    public var flushInterval: Duration
    /// Known peers kept per torrent, to reconnect fast after a restart.
    public var rememberedPeers: Int
    /// How often a torrent still downloading without a single peer dials its remembered peers again and asks
    /// its trackers (no sooner than their minimum interval): a peer lost to its restart, or to a dial that
    /// failed, comes back without waiting for the next regular announce (opentracker's is 30 min).
    public var reconnectInterval: Duration
    /// Caps on piece payload for all torrents together, bytes per second (nil: none).
    public var maximumUploadRate: Int?
    public var maximumDownloadRate: Int?
    /// Run a Mainline DHT node (UDP, on the peer address and the peer port's number when free) and announce
    /// every public torrent there.
    public var dhtEnabled: Bool
    /// Where the DHT node joins when its saved table is empty; nil: the public routers, or none on a
    /// loopback address (`DHTNodeSettings.defaultBootstrapNodes`).
    public var dhtBootstrapNodes: [PeerAddress]?
    /// Announce public torrents on the LAN and dial the peers announcing them (BEP 14).
    public var lsdEnabled: Bool
    /// The LAN discovery group's UDP port; nil: BEP 14's 6771, and no LSD on a loopback peer address
    /// (`LSDServiceSettings.forPeerListener`).
    public var lsdPort: Int?

    public static let defaultFlushInterval: Duration = .seconds(10)
    public static let defaultReconnectInterval: Duration = .seconds(30)

    public init(
        peerHost: String = "0.0.0.0", peerPort: Int = 6881, flushInterval: Duration = NodeSettings.defaultFlushInterval,
        rememberedPeers: Int = 50, reconnectInterval: Duration = NodeSettings.defaultReconnectInterval,
        maximumUploadRate: Int? = nil, maximumDownloadRate: Int? = nil,
        dhtEnabled: Bool = true, dhtBootstrapNodes: [PeerAddress]? = nil, lsdEnabled: Bool = true, lsdPort: Int? = nil
    ) {
        self.lsdEnabled = lsdEnabled
        self.lsdPort = lsdPort
        self.dhtEnabled = dhtEnabled
        self.dhtBootstrapNodes = dhtBootstrapNodes
        self.maximumUploadRate = maximumUploadRate
        self.maximumDownloadRate = maximumDownloadRate
        self.peerHost = peerHost
        self.peerPort = peerPort
        self.flushInterval = flushInterval
        self.rememberedPeers = rememberedPeers
        self.reconnectInterval = reconnectInterval
    }
}
