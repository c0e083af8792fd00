/// How much a piece is wanted: 0 means never download it, 1...7 are levels, higher first.
///
/// Levels are strict tiers: the picker offers every open piece of a level before any piece of a lower
/// level. Per-file priorities reach the picker as the priorities of the pieces the file covers.
public struct PiecePriority: Hashable, Comparable, Sendable, ExpressibleByIntegerLiteral {
    public let level: UInt8

    public static let levelCount = 8
    /// Never requested; blocks of such a piece that arrive unasked are refused.
    public static let skip = PiecePriority(uncheckedLevel: 0)
    public static let lowest = PiecePriority(uncheckedLevel: 1)
    /// What every piece starts with.
    public static let normal = PiecePriority(uncheckedLevel: 4)
    public static let highest = PiecePriority(uncheckedLevel: 7)

    /// Nil outside 0...7.
    public init?(level: Int) {
        guard level >= 0 && level < Self.levelCount else { return nil }
        self.level = UInt8(level)
    }

    public init(integerLiteral value: UInt8) {
        precondition(Int(value) < Self.levelCount, "piece priority \(value) is outside 0...7")
        self.level = value
    }

    private init(uncheckedLevel: UInt8) { self.level = uncheckedLevel }

    /// False for `skip`.
    public var isWanted: Bool { level > 0 }

    public static func < (lhs: PiecePriority, rhs: PiecePriority) -> Bool { lhs.level < rhs.level }
}

extension PiecePriority: CustomStringConvertible {
    public var description: String { String(level) }
}
