import TrackerProtocol

/// How a tracker behaves: intervals, limits and who may use it. The defaults are the CLI's.
public struct TrackerConfiguration: Sendable {
    /// Seconds between a client's regular announces (`interval`).
    public var interval: Int = 1800
    /// `min interval`: announcing sooner without an event earns a `warning message`.
    public var minimumInterval: Int = 900
    /// A peer is dropped after `peerTimeoutIntervals` × `interval` without an announce.
    public var peerTimeoutIntervals = 2
    /// Peers returned when the client names no `numwant`.
    public var defaultNumWant = 50
    /// The most peers one response lists, whatever `numwant` asks.
    public var maximumNumWant = 200
    /// Swarms tracked at most, and peers remembered per swarm.
    public var maximumSwarms = 1_000_000
    public var maximumPeersPerSwarm = 100_000
    /// Requests (HTTP and UDP) per second per client address, and the burst allowed; rate 0 is no limit.
    public var rateLimit = AddressRateLimiter.Settings(ratePerSecond: 50, burst: 200)
    /// Independent registry shards; announces of torrents in different shards never wait for each other.
    public var shardCount = 64
    public var access = TrackerAccessPolicy.open
    /// An HTTP connection silent this long (seconds) is closed.
    public var httpIdleTimeout = 30.0

    public init() {}

    var peerTimeout: UInt32 { UInt32(clamping: interval * peerTimeoutIntervals) }

    var registrySettings: SwarmRegistry.Settings {
        SwarmRegistry.Settings(
            peerTimeout: peerTimeout, minimumInterval: UInt32(clamping: minimumInterval),
            maximumSwarms: max(1, maximumSwarms / shardCount), maximumPeersPerSwarm: maximumPeersPerSwarm)
    }
}
