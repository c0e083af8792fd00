import TorrentModel

/// A request the engine should cancel (send CANCEL): another peer delivered the block first.
public struct BlockCancellation<Peer: Hashable & Sendable>: Hashable, Sendable {
    public var peer: Peer
    public var block: BlockRange

    public init(peer: Peer, block: BlockRange) {
        self.peer = peer
        self.block = block
    }
}
