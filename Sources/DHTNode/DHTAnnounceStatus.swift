import DHT

/// What a `DHTAnnouncer` did so far.
public struct DHTAnnounceStatus: Sendable, Hashable {
    /// Rounds run (each a `get_peers` lookup, with `announce_peer` when there is a port).
    public var rounds = 0
    /// The last round's outcome, nil before the first ended.
    public var lastOutcome: DHTAnnounceSchedule.Outcome?
    /// Peers the rounds returned, repeats included.
    public var peersFound = 0

    public init() {}
}
