import TorrentModel

/// A peer found on the LAN for one of our torrents: the announcement's source address with the TCP port it
/// announced.
public struct LSDDiscovery: Sendable, Hashable, CustomStringConvertible {
    public var infoHash: InfoHash
    public var peer: PeerAddress

    public init(infoHash: InfoHash, peer: PeerAddress) {
        self.infoHash = infoHash
        self.peer = peer
    }

    public var description: String { "\(peer) for \(infoHash)" }
}
