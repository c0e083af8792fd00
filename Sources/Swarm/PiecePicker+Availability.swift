import TorrentModel

/// Availability: how many connected peers have each piece. Every change is O(1) per piece.
extension PiecePicker {
    /// A peer announced one piece (HAVE).
    public mutating func peerHas(piece: Int) { availability.peerHas(piece: piece) }

    /// A peer that had this piece is gone, or withdrew it.
    public mutating func peerLost(piece: Int) { availability.peerLost(piece: piece) }

    /// A peer sent its BITFIELD. O(n/8 + k), k = pieces it has.
    public mutating func peerHas(_ bitfield: Bitfield) {
        precondition(bitfield.count == pieceCount, "peer bitfield has \(bitfield.count) bits, not \(pieceCount)")
        availability.peerHas(bitfield)
    }

    /// A peer with these pieces disconnected. O(n/8 + k).
    public mutating func peerLost(_ bitfield: Bitfield) {
        precondition(bitfield.count == pieceCount, "peer bitfield has \(bitfield.count) bits, not \(pieceCount)")
        availability.peerLost(bitfield)
    }

    /// The lowest piece from `start` on that no connected peer has (`pieceCount` when every one is had): where a
    /// seed's new pieces enter the swarm, for a peer playing at `start`. O(P).
    public func firstPieceNobodyHas(from start: Int = 0) -> Int {
        (max(0, start)..<pieceCount).first { availability.availability(ofPiece: $0) == 0 } ?? pieceCount
    }

    /// A peer with every piece (a full BITFIELD or BEP 6 HAVE ALL) joined. O(1).
    public mutating func seedJoined() { availability.seedJoined() }

    /// A seed left. O(1).
    public mutating func seedLeft() { availability.seedLeft() }

    /// Counts a peer's pieces in, whichever form they have.
    public mutating func peerJoined(with pieces: PeerPieces) {
        switch pieces {
        case .all: seedJoined()
        case .bitfield(let bitfield): peerHas(bitfield)
        }
    }

    /// Counts a peer's pieces out (call with what `peerJoined` and later `peerHas(piece:)` counted in).
    public mutating func peerLeft(with pieces: PeerPieces) {
        switch pieces {
        case .all: seedLeft()
        case .bitfield(let bitfield): peerLost(bitfield)
        }
    }
}
