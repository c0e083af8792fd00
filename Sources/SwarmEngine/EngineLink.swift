import TorrentModel

/// What a session may ask of the engine that runs it: dial a peer, and where we listen. A session made
/// on its own (tests) gets `detached`, which dials nothing.
struct EngineLink: Sendable {
    /// Dials `address` for the session's torrent; false when the engine has no connection to spare.
    var dial: @Sendable (PeerAddress, PeerSource) -> Bool
    /// The address the engine's listener is bound to; nil before `bind`.
    var listenAddress: @Sendable () -> PeerAddress?

    static let detached = EngineLink(dial: { _, _ in false }, listenAddress: { nil })
}
