import TorrentModel

/// What a client tells a tracker in an announce (BEP 3), over HTTP or UDP (BEP 15).
public struct AnnounceRequest: Hashable, Sendable {
    public var infoHash: InfoHash
    /// Exactly 20 bytes; the initializer checks.
    public private(set) var peerID: [UInt8]
    /// The port the client accepts peer connections on.
    public var port: UInt16
    /// Byte totals since the `started` event; never negative.
    public var uploaded: Int64
    public var downloaded: Int64
    /// Bytes still missing; 0 makes the client a seed.
    public var left: Int64
    public var event: AnnounceEvent
    /// Asks for the compact peer list (BEP 23). UDP is always compact.
    public var compact: Bool
    /// How many peers the client wants; nil leaves it to the tracker.
    public var numWant: Int?
    /// A number that identifies the client across address changes. Sent as 8 hex digits over HTTP.
    public var key: UInt32?
    /// The `tracker id` the tracker gave in an earlier response, sent back verbatim (HTTP only).
    public var trackerID: [UInt8]?
    /// The address the client wants the tracker to use instead of the one it sees. UDP carries IPv4 only.
    public var ip: String?

    public init(
        infoHash: InfoHash, peerID: [UInt8], port: UInt16, uploaded: Int64 = 0, downloaded: Int64 = 0, left: Int64,
        event: AnnounceEvent = .none, compact: Bool = true, numWant: Int? = nil, key: UInt32? = nil,
        trackerID: [UInt8]? = nil, ip: String? = nil
    ) throws(TrackerProtocolError) {
        guard peerID.count == TrackerLimits.peerIDSize else { throw .badPeerIDLength(peerID.count) }
        for (name, value) in [("uploaded", uploaded), ("downloaded", downloaded), ("left", left)] where value < 0 {
            throw .badNumber(field: name, value: String(value))
        }
        self.infoHash = infoHash
        self.peerID = peerID
        self.port = port
        self.uploaded = uploaded
        self.downloaded = downloaded
        self.left = left
        self.event = event
        self.compact = compact
        self.numWant = numWant
        self.key = key
        self.trackerID = trackerID
        self.ip = ip
    }
}
