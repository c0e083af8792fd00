// Time in the Swarm module: points in time are `ContinuousClock.Instant`, spans are `Duration`. The engine
// reads the clock once per event and passes `now`; nothing here reads a clock. Rates are bytes per second.

extension SwarmSettings {
    // MARK: Rates

    /// How far back a `RateEstimator` looks: the BitTorrent spec's rolling 20-second average.
    public static let rateWindow: Duration = .seconds(20)
    /// How many buckets the window is cut into (1 s each by default); memory per estimator is this many counters.
    public static let rateBucketCount = 20

    // MARK: Pipeline depth

    /// Requests outstanding at a peer should cover this much time at its measured rate (bandwidth × delay).
    /// libtorrent uses 3 s; streaming prefers shorter queues so a late block is not stuck behind many others.
    public static let requestQueueTime: Duration = .seconds(2)
    /// The fewest requests kept outstanding at an unchoked peer, so a new or slow peer can still ramp up.
    public static let minimumRequestDepth = 2
    /// The most requests ever outstanding at one peer, whatever its rate or `reqq` (libtorrent's cap too).
    public static let maximumRequestDepth = 500
    /// The `reqq` assumed for a peer that did not send one in its BEP 10 handshake.
    public static let defaultPeerRequestLimit = 250

    // MARK: Time-outs and snubbing

    /// A request never times out sooner than this (libtorrent's `request_timeout` order of magnitude).
    public static let requestTimeoutFloor: Duration = .seconds(20)
    /// A request always times out after this long, however slow the peer.
    public static let requestTimeoutCeiling: Duration = .seconds(120)
    /// A request times out after this many times the time the peer needs to deliver everything outstanding.
    public static let requestTimeoutMultiplier = 3.0
    /// A peer with requests outstanding that sends no block for this long is snubbed (anti-snubbing).
    public static let snubTimeout: Duration = .seconds(60)
    /// How long a cancelled, timed-out or choked request is remembered so its late block is tolerated.
    public static let abandonedRequestRetention: Duration = .seconds(120)
}
