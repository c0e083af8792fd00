/// Figures about a running DHT node, for `shoal show`, logs and tests.
public struct DHTHealth: Sendable, Hashable {
    /// Nodes in the routing table's buckets, by state.
    public var goodNodes = 0
    public var questionableNodes = 0
    public var badNodes = 0
    /// Nodes waiting in replacement caches.
    public var replacementNodes = 0
    public var buckets = 0
    /// Peers announced to us, and the infohashes they are for.
    public var storedPeers = 0
    public var storedInfoHashes = 0
    public var pendingQueries = 0
    public var runningLookups = 0
    /// Addresses the rate limiter tracks.
    public var rateLimitedAddresses = 0

    public var packetsReceived = 0
    /// Packets that were not KRPC (answered with error 203 when they were queries with a `t`).
    public var malformedPackets = 0
    public var queriesAnswered = 0
    /// Queries dropped: over the rate limit, or no answer fitted the amplification budget.
    public var queriesDropped = 0
    public var answersMatched = 0
    /// Responses and errors that matched no pending query (late, spoofed or stray).
    public var answersUnmatched = 0
    public var queriesTimedOut = 0

    public var nodes: Int { goodNodes + questionableNodes + badNodes }

    public init() {}
}
