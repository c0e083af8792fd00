import Synchronization

/// What the tracker has done since it started (plus the totals restored from its database), counted
/// without locks from every event loop.
final class TrackerCounters: Sendable {
    let announces = Atomic<Int>(0)
    let scrapes = Atomic<Int>(0)
    /// Requests answered with a `failure reason` (bad queries, refusals).
    let failures = Atomic<Int>(0)
    let udpConnects = Atomic<Int>(0)
    /// Requests over the per-address rate.
    let rateLimited = Atomic<Int>(0)
    /// UDP packets dropped unanswered: bad connection ids, malformed packets, over the rate.
    let udpDropped = Atomic<Int>(0)
    let completed = Atomic<Int>(0)

}
