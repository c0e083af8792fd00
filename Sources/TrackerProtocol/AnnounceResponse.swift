/// A tracker's successful answer to an announce.
public struct AnnounceResponse: Hashable, Sendable {
    /// Seconds the client should wait before its next regular announce.
    public var interval: Int
    /// Seconds the client must wait at least before announcing again of its own accord.
    public var minInterval: Int?
    /// To be sent back in later announces to this tracker.
    public var trackerID: [UInt8]?
    /// Seeders.
    public var complete: Int?
    /// Leechers.
    public var incomplete: Int?
    /// How many times the torrent was downloaded to the end (sent by opentracker and others).
    public var downloaded: Int?
    /// IPv4 and IPv6 peers together, in the order the tracker gave them.
    public var peers: [PeerEndpoint]
    /// A `warning message`: the announce worked, but the tracker wants the user to know something.
    public var warning: String?

    public init(
        interval: Int, minInterval: Int? = nil, trackerID: [UInt8]? = nil, complete: Int? = nil,
        incomplete: Int? = nil, downloaded: Int? = nil, peers: [PeerEndpoint] = [], warning: String? = nil
    ) {
        self.interval = interval
        self.minInterval = minInterval
        self.trackerID = trackerID
        self.complete = complete
        self.incomplete = incomplete
        self.downloaded = downloaded
        self.peers = peers
        self.warning = warning
    }
}
