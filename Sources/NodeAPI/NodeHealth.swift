/// What `GET /api/v1/health` answers: the node is up, and how it is set up.
public struct NodeHealth: Codable, Equatable, Sendable {
    /// Always `ok` from a node that answers at all.
    public var status: String
    /// Shoal's version, e.g. `0.1.0`.
    public var version: String
    /// Torrents in the library.
    public var torrentCount: Int
    /// Seconds since the node started.
    public var uptimeSeconds: Double
    /// The TCP port the node takes peer connections on.
    public var peerPort: Int
    /// The port of this API.
    public var apiPort: Int

    public init(
        status: String = "ok", version: String, torrentCount: Int, uptimeSeconds: Double, peerPort: Int, apiPort: Int
    ) {
        self.status = status
        self.version = version
        self.torrentCount = torrentCount
        self.uptimeSeconds = uptimeSeconds
        self.peerPort = peerPort
        self.apiPort = apiPort
    }
}
