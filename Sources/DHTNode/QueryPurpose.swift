/// What a pending query is for, so its answer, stall or timeout reaches the right place.
enum QueryPurpose: Sendable {
    /// A step of lookup number `run`.
    case lookup(run: Int)
    /// An `announce_peer` of announce number `run`.
    case announce(run: Int)
    /// A liveness check: a questionable node, or a node whose query we answered short (the ping-back rule).
    case ping
}
