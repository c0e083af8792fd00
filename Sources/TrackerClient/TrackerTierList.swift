/// BEP 12 multitracker order: each tier shuffled once, tiers tried in order and trackers within a
/// tier front to back; a tracker that answers moves to the front of its tier, so it is tried first next time.
public struct TrackerTierList<Element> {
    /// Where a tracker sits: its tier and its place in the tier.
    public struct Position: Hashable, Sendable {
        public let tier: Int
        public let index: Int
    }

    /// Tiers in order, each non-empty, in the current trying order.
    public private(set) var tiers: [[Element]]

    /// Shuffles each tier once (BEP 12); empty tiers are dropped.
    public init(tiers: [[Element]], shuffledWith generator: inout some RandomNumberGenerator) {
        self.tiers = tiers.filter { !$0.isEmpty }.map { $0.shuffled(using: &generator) }
    }

    /// Keeps the given order, for callers that already shuffled (or must not).
    public init(orderedTiers: [[Element]]) {
        self.tiers = orderedTiers.filter { !$0.isEmpty }
    }

    public var isEmpty: Bool { tiers.isEmpty }

    public var count: Int { tiers.reduce(0) { $0 + $1.count } }

    /// Every position in trying order: the first tier front to back, then the next tier.
    public var positions: [Position] {
        tiers.indices.flatMap { tier in tiers[tier].indices.map { Position(tier: tier, index: $0) } }
    }

    /// All trackers in trying order.
    public var elements: [Element] { tiers.flatMap { $0 } }

    public subscript(position: Position) -> Element { tiers[position.tier][position.index] }

    /// The tracker at `position` answered: it moves to the front of its tier, the ones before it move back one.
    public mutating func promote(_ position: Position) {
        let element = tiers[position.tier].remove(at: position.index)
        tiers[position.tier].insert(element, at: 0)
    }

    /// The same tiers in the same order with each tracker transformed.
    public func map<T>(_ transform: (Element) throws -> T) rethrows -> TrackerTierList<T> {
        TrackerTierList<T>(orderedTiers: try tiers.map { try $0.map(transform) })
    }
}

extension TrackerTierList: Sendable where Element: Sendable {}
