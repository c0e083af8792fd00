import TorrentModel

/// The pieces one peer has: everything (a seed, BEP 6 have-all) or what its bitfield says.
///
/// Seeds are kept apart so that a seed joining or leaving costs O(1) instead of touching every piece.
public enum PeerPieces: Hashable, Sendable {
    case all
    case bitfield(Bitfield)

    public func contains(_ piece: Int) -> Bool {
        switch self {
        case .all: true
        case .bitfield(let bitfield): bitfield[piece]
        }
    }

    public var isAll: Bool {
        if case .all = self { true } else { false }
    }
}
