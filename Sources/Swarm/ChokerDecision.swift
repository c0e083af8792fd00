/// The outcome of a choker round: who holds which slot, and the messages that get the wire there.
public struct ChokerDecision<PeerID: Hashable & Sendable>: Sendable {
    /// Holders of regular slots, best first.
    public var regular: [PeerID]
    /// The optimistic unchoke, if any peer is left for it.
    public var optimistic: PeerID?
    /// Peers to send `unchoke` now (in the order they were given to the round).
    public var unchoke: [PeerID]
    /// Peers to send `choke` now (in the order they were given to the round).
    public var choke: [PeerID]

    public init(regular: [PeerID], optimistic: PeerID?, unchoke: [PeerID], choke: [PeerID]) {
        self.regular = regular
        self.optimistic = optimistic
        self.unchoke = unchoke
        self.choke = choke
    }

    /// Everyone unchoked after this round.
    public var unchoked: Set<PeerID> {
        var all = Set(regular)
        if let optimistic { all.insert(optimistic) }
        return all
    }

    /// The messages to send: chokes first, so we never upload to more peers than we have slots for.
    public var actions: [ChokerAction<PeerID>] {
        choke.map(ChokerAction.choke) + unchoke.map(ChokerAction.unchoke)
    }
}
