/// How we learned of a connected peer: shown per connection and counted per torrent.
public enum PeerSource: String, Sendable, Hashable, CaseIterable, Codable {
    /// A tracker's announce answer.
    case tracker
    /// The Mainline DHT (BEP 5).
    case dht
    /// Another peer's `ut_pex` message (BEP 11).
    case pex
    /// Local Service Discovery (BEP 14).
    case lsd
    /// Given by hand: `--peer`, the control API, a magnet's `x.pe`, or remembered from an earlier run.
    case manual
    /// The peer dialed us.
    case incoming

    /// Whether a private torrent (BEP 27) may use peers from here: only its trackers, peers given by hand and
    /// peers that dial in; never the DHT, PEX or LSD.
    public var servesPrivateTorrents: Bool {
        switch self {
        case .tracker, .manual, .incoming: return true
        case .dht, .pex, .lsd: return false
        }
    }
}
