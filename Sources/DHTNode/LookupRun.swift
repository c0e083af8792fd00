import DHT

/// A lookup in progress and who waits for its result (nobody for a refresh or a background bootstrap).
struct LookupRun {
    var lookup: Lookup
    var waiter: CheckedContinuation<Lookup.Result, Never>?
    /// Gets a `get_peers` lookup's peers as they come, before its end: a dead node among the closest holds the
    /// end for the stall timeout, and the caller can dial the peers meanwhile.
    var onPeers: (@Sendable ([DHTEndpoint]) -> Void)?
    /// How many of the lookup's peers `onPeers` got.
    var peersHanded = 0
}

/// The `announce_peer` queries of one announce still out, and who waits for them.
struct AnnounceRun {
    var outstanding: Int
    var acknowledged = 0
    var waiter: CheckedContinuation<Int, Never>
}
