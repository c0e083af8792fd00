/// One message the engine sends after a choker round.
public enum ChokerAction<PeerID: Hashable & Sendable>: Hashable, Sendable {
    case choke(PeerID)
    case unchoke(PeerID)
}
