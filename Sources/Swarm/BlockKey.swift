/// A block by piece and block index, for the per-peer request sets.
struct BlockKey: Hashable, Comparable, Sendable {
    var piece: Int32
    var block: Int32

    static func < (lhs: BlockKey, rhs: BlockKey) -> Bool { (lhs.piece, lhs.block) < (rhs.piece, rhs.block) }
}
