/// One block of a piece being downloaded.
public enum BlockState<Peer: Hashable & Sendable>: Hashable, Sendable {
    case open
    /// Requested and not yet received; more than one peer only in endgame or for urgent deadline pieces.
    case requested(by: [Peer])
    /// Received (not yet verified: that happens per piece); the sender is kept to blame it if the hash fails.
    case received(from: Peer)
}
