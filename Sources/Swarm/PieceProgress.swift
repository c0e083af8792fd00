/// The blocks of one piece that is being downloaded (or is complete and waiting for its hash check).
struct PieceProgress<Peer: Hashable & Sendable>: Sendable {
    let piece: Int
    var blocks: [BlockState<Peer>]
    private(set) var openCount: Int
    private(set) var receivedCount: Int

    init(piece: Int, blockCount: Int) {
        self.piece = piece
        self.blocks = Array(repeating: .open, count: blockCount)
        self.openCount = blockCount
        self.receivedCount = 0
    }

    var isComplete: Bool { receivedCount == blocks.count }
    /// Nothing requested or received: the piece can go back to the open pieces.
    var isIdle: Bool { openCount == blocks.count }

    /// Adds `peer` to the block's requesters.
    mutating func addRequest(block: Int, peer: Peer) {
        switch blocks[block] {
        case .open:
            blocks[block] = .requested(by: [peer])
            openCount -= 1
        case .requested(var peers):
            peers.append(peer)
            blocks[block] = .requested(by: peers)
        case .received:
            preconditionFailure("block \(block) of piece \(piece) is requested after it was received")
        }
    }

    /// Drops `peer` from the block's requesters; the block opens again when nobody is left.
    mutating func removeRequest(block: Int, peer: Peer) {
        guard case .requested(var peers) = blocks[block], let index = peers.firstIndex(of: peer) else { return }
        peers.remove(at: index)
        if peers.isEmpty {
            blocks[block] = .open
            openCount += 1
        } else {
            blocks[block] = .requested(by: peers)
        }
    }

    /// Marks the block received from `peer`; returns the other peers that had requested it.
    mutating func receive(block: Int, from peer: Peer) -> [Peer] {
        var others: [Peer] = []
        switch blocks[block] {
        case .open:
            openCount -= 1
        case .requested(let peers):
            others = peers.filter { $0 != peer }
        case .received:
            preconditionFailure("block \(block) of piece \(piece) is received twice")
        }
        blocks[block] = .received(from: peer)
        receivedCount += 1
        return others
    }

    func requesters(ofBlock block: Int) -> [Peer] {
        if case .requested(let peers) = blocks[block] { peers } else { [] }
    }

    /// The peers whose blocks make up the piece, to blame when its hash fails.
    var contributors: Set<Peer> {
        var peers: Set<Peer> = []
        for case .received(let peer) in blocks { peers.insert(peer) }
        return peers
    }
}
