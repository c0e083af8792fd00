import Foundation
import TorrentModel

/// A peer address remembered for a torrent, and when it was last seen in the swarm.
public struct KnownPeer: Hashable, Sendable {
    public var address: PeerAddress
    public var lastSeen: Date

    public init(address: PeerAddress, lastSeen: Date) {
        self.address = address
        self.lastSeen = lastSeen
    }
}
