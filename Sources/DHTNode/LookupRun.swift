import DHT

/// A lookup in progress and who waits for its result (nobody for a refresh or a background bootstrap).
struct LookupRun {
    var lookup: Lookup
    var waiter: CheckedContinuation<Lookup.Result, Never>?
}

/// The `announce_peer` queries of one announce still out, and who waits for them.
struct AnnounceRun {
    var outstanding: Int
    var acknowledged = 0
    var waiter: CheckedContinuation<Int, Never>
}
