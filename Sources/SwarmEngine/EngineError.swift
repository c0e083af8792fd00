import TorrentModel

/// Why a connection or the engine stopped.
public enum EngineError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The peer's first frame was not a handshake.
    case expectedHandshake
    /// The peer asked for a torrent we do not serve, or answered for another one.
    case unknownTorrent(InfoHash)
    /// The peer closed the connection before the handshake.
    case closedBeforeHandshake

    public var description: String {
        switch self {
        case .expectedHandshake: return "the peer did not start with a handshake"
        case .unknownTorrent(let hash): return "the peer asked for torrent \(hash), which we do not serve"
        case .closedBeforeHandshake: return "the peer closed the connection before the handshake"
        }
    }
}
