/// Figures about a running LSD service, for `shoal show`, logs and tests.
public struct LSDHealth: Sendable, Hashable {
    /// Torrents we announce now.
    public var announcedTorrents = 0
    /// (Source, infohash) pairs the report limiter remembers.
    public var trackedReports = 0

    /// Announcements we sent, and those the socket refused (no route to the group, for one).
    public var packetsSent = 0
    public var sendFailures = 0
    /// Datagrams received on the group, ours included.
    public var packetsReceived = 0
    /// Datagrams that were not a usable BT-SEARCH announcement (too long, no port, no valid infohash...).
    public var malformedPackets = 0
    /// Our own announcements, recognised by the cookie.
    public var ownPackets = 0
    /// Infohashes announced by others that we do not announce ourselves.
    public var infoHashesNotOurs = 0
    /// Infohashes of ours dropped by the report limiter.
    public var rateLimited = 0
    /// Peers handed to `discoveries`, and those dropped because nobody was reading it fast enough.
    public var peersReported = 0
    public var reportsDropped = 0

    public init() {}
}
