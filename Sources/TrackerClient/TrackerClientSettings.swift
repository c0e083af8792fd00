import NIOCore

/// Announces to HTTP and UDP trackers: timeouts, limits and announce pacing, in one place.
/// The defaults are for real use; tests shorten the times.
public struct TrackerClientSettings: Sendable {
    /// The whole HTTP request, connect to last body byte.
    public var httpTimeout: Duration = .seconds(30)
    /// HTTP response bodies larger than this are refused. 200 compact peers take 1.2 KB and a
    /// dictionary peer list with peer ids some 20 KB, so 1 MiB leaves room without letting a tracker
    /// fill memory.
    public var maximumResponseSize = 1 << 20

    /// BEP 15: a request unanswered after `udpBaseTimeout × 2ⁿ` is sent again, n = 0, 1, 2, …
    public var udpBaseTimeout: Duration = .seconds(15)
    /// How many times a UDP request is sent again before the tracker counts as failed. BEP 15 allows 8
    /// (over two hours in all); 2 gives up after 105 s, so the next tracker of a tier gets its turn.
    public var udpMaximumRetransmissions = 2
    /// BEP 15: a connection id may be used for one minute after it was received.
    public var udpConnectionIDLifetime: Duration = .seconds(60)
    /// Datagrams larger than this are cut; 65 507 bytes is the most a UDP datagram can carry.
    public var udpMaximumDatagramSize = 65_507

    /// Where announces leave from: the peer listener's address when the node is bound to one, because a tracker
    /// lists a peer at the address its announce came from. Nil lets the system choose.
    public var outgoingAddress: SocketAddress?

    /// Peers asked for in each announce.
    public var numWant = 50
    /// The shortest wait between regular announces, whatever interval a tracker gives.
    public var minimumAnnounceInterval: Duration = .seconds(60)
    /// The longest wait between regular announces, so a tracker's huge interval cannot silence it.
    public var maximumAnnounceInterval: Duration = .seconds(6 * 3600)
    /// The wait before retrying when every tracker failed; doubles after each failed round.
    public var failureRetryDelay: Duration = .seconds(30)
    /// The most the failure retry delay grows to.
    public var maximumFailureRetryDelay: Duration = .seconds(1800)
    /// How long `stopped` announces may take when the torrent stops; they are a courtesy.
    public var stoppedAnnounceTimeout: Duration = .seconds(5)

    public init() {}
}
