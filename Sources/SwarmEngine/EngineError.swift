import TorrentModel

/// Why a connection or the engine stopped.
public enum EngineError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The peer's first frame was not a handshake.
    case expectedHandshake
    /// The peer asked for a torrent we do not serve, or answered for another one.
    case unknownTorrent(InfoHash)
    /// The peer closed the connection before the handshake.
    case closedBeforeHandshake
    /// The handshake carried our own peer ID: we dialed ourselves (a tracker listed our address).
    case connectedToSelf
    /// The peer was banned for sending data that failed hash checks.
    case banned
    /// The torrent (or the engine) has all the connections it may have.
    case tooManyPeers
    /// A second connection to a peer we are connected to (both dialed each other); the other one is kept.
    case duplicateConnection

    public var description: String {
        switch self {
        case .expectedHandshake: return "the peer did not start with a handshake"
        case .unknownTorrent(let hash): return "the peer asked for torrent \(hash), which we do not serve"
        case .closedBeforeHandshake: return "the peer closed the connection before the handshake"
        case .connectedToSelf: return "the connection led back to ourselves"
        case .banned: return "the peer is banned"
        case .tooManyPeers: return "too many peers"
        case .duplicateConnection: return "already connected to this peer"
        }
    }
}
