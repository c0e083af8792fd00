import PeerWire

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

    public init(
        keepAliveInterval: Duration = EngineSettings.defaultKeepAliveInterval,
        idleTimeout: Duration = EngineSettings.defaultIdleTimeout,
        connectTimeout: Duration = EngineSettings.defaultConnectTimeout,
        maximumPeerRequests: Int = EngineSettings.defaultMaximumPeerRequests,
        clientName: String = EngineSettings.defaultClientName,
        maximumUploadRate: Int? = nil,
        maximumDownloadRate: Int? = nil
    ) {
        self.keepAliveInterval = keepAliveInterval
        self.idleTimeout = idleTimeout
        self.connectTimeout = connectTimeout
        self.maximumPeerRequests = maximumPeerRequests
        self.clientName = clientName
        self.maximumUploadRate = maximumUploadRate
        self.maximumDownloadRate = maximumDownloadRate
    }

    public static let defaultKeepAliveInterval: Duration = .seconds(120)
    /// A little over the keep-alive interval, so a peer that keeps alive on time is never dropped.
    public static let defaultIdleTimeout: Duration = .seconds(180)
    public static let defaultConnectTimeout: Duration = .seconds(10)
    public static let defaultMaximumPeerRequests = 250
    public static let defaultClientName = "Shoal 0.1.0"
}
