import NIOCore
import PeerWire
import Swarm
import TorrentModel

/// The engine's tunables, in one place. Defaults follow common BitTorrent clients.
public struct EngineSettings: Sendable {
    /// How long a connection may stay silent before we send a keep-alive (BEP 3 suggests 2 minutes).
    public var keepAliveInterval: Duration
    /// A peer that sends nothing for this long is disconnected (BEP 3: peers drop after 2 minutes of silence).
    public var idleTimeout: Duration
    /// How long a dial may take before it is given up.
    public var connectTimeout: Duration
    /// How many requests we let a peer queue at us; announced as `reqq` in the extension handshake.
    public var maximumPeerRequests: Int
    /// The client name announced as `v` in the extension handshake.
    public var clientName: String
    /// Payload bytes per second sent to all peers together; nil: no limit.
    public var maximumUploadRate: Int?
    /// Payload bytes per second received from all peers together; nil: no limit.
    public var maximumDownloadRate: Int?
    /// Open connections of the whole engine; more are refused (accepted) or not made (dialed).
    public var maximumConnections: Int
    /// Peers of one torrent; more are refused after their handshake.
    public var maximumPeersPerTorrent: Int
    /// Upload slots, rechoke interval, optimistic unchoke (`Choker`).
    public var choker: ChokerConfiguration
    /// How often sessions check request time-outs and whether a choker round is due.
    public var tickInterval: Duration
    /// Where dials leave from (port 0): the listener's address when the node is bound to one, so that peers
    /// (and the peers they tell through PEX) know us at the address we listen on. Nil lets the system choose.
    public var outgoingAddress: SocketAddress?

    public init(
        keepAliveInterval: Duration = EngineSettings.defaultKeepAliveInterval,
        idleTimeout: Duration = EngineSettings.defaultIdleTimeout,
        connectTimeout: Duration = EngineSettings.defaultConnectTimeout,
        maximumPeerRequests: Int = EngineSettings.defaultMaximumPeerRequests,
        clientName: String = EngineSettings.defaultClientName,
        maximumUploadRate: Int? = nil,
        maximumDownloadRate: Int? = nil,
        maximumConnections: Int = EngineSettings.defaultMaximumConnections,
        maximumPeersPerTorrent: Int = EngineSettings.defaultMaximumPeersPerTorrent,
        choker: ChokerConfiguration = ChokerConfiguration(),
        tickInterval: Duration = EngineSettings.defaultTickInterval,
        outgoingAddress: SocketAddress? = nil
    ) {
        self.keepAliveInterval = keepAliveInterval
        self.idleTimeout = idleTimeout
        self.connectTimeout = connectTimeout
        self.maximumPeerRequests = maximumPeerRequests
        self.clientName = clientName
        self.maximumUploadRate = maximumUploadRate
        self.maximumDownloadRate = maximumDownloadRate
        self.maximumConnections = maximumConnections
        self.maximumPeersPerTorrent = maximumPeersPerTorrent
        self.choker = choker
        self.tickInterval = tickInterval
        self.outgoingAddress = outgoingAddress
    }

    /// The outgoing address for a listener on `host`: nil for the wildcard addresses (any interface will do)
    /// and for names; the address itself, port 0, otherwise.
    public static func outgoingAddress(forListenHost host: String) -> SocketAddress? {
        guard host != "0.0.0.0", host != "::", let address = try? SocketAddress(ipAddress: host, port: 0) else {
            return nil
        }
        return address
    }

    public static let defaultKeepAliveInterval: Duration = .seconds(120)
    /// A little over the keep-alive interval, so a peer that keeps alive on time is never dropped.
    public static let defaultIdleTimeout: Duration = .seconds(180)
    public static let defaultConnectTimeout: Duration = .seconds(10)
    public static let defaultMaximumPeerRequests = 250
    public static let defaultClientName = "Shoal 0.1.0"
    /// libtorrent's defaults are 200 connections in all; Transmission's 200 and 50 per torrent.
    public static let defaultMaximumConnections = 200
    public static let defaultMaximumPeersPerTorrent = 50
    public static let defaultTickInterval: Duration = .seconds(1)
    /// Complete pieces waiting for their SHA-1 check and write, per torrent, before requesting pauses.
    public var maximumPendingWriteBytes = EngineSettings.defaultMaximumPendingWriteBytes
    public static let defaultMaximumPendingWriteBytes = 32 * 1024 * 1024
    /// Requests are sent when at least this many can go at once (or when fewer are outstanding).
    public static let requestBatch = 16

    // MARK: Peer exchange (BEP 11)

    /// `ut_pex` messages: at most one a minute to each peer, 50 added and 50 dropped each; a peer's
    /// messages less than 45 s apart are ignored, and 50 addresses at most are taken from one (`PEXState`).
    public var peerExchange = PEXState<PeerAddress>.Settings()
    /// Addresses learned from PEX waiting to be dialed, per torrent; more are dropped.
    public var maximumPeerCandidates = EngineSettings.defaultMaximumPeerCandidates
    public static let defaultMaximumPeerCandidates = 100
    /// Dials of PEX addresses in flight per torrent (requested, not yet attached or ended). A connection
    /// that never completes its handshake holds its slot until it closes, so this bounds those too.
    public var maximumPendingDials = EngineSettings.defaultMaximumPendingDials
    public static let defaultMaximumPendingDials = 8
    /// A PEX address is not dialed again sooner than this (every peer repeats the addresses it knows).
    public var redialInterval = EngineSettings.defaultRedialInterval
    public static let defaultRedialInterval: Duration = .seconds(600)
    /// Addresses remembered per torrent for `redialInterval`; past this the oldest are forgotten.
    public var maximumRememberedDials = EngineSettings.defaultMaximumRememberedDials
    public static let defaultMaximumRememberedDials = 1000
}
