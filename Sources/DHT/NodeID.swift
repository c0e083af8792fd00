/// A 160-bit Kademlia identifier: a node's ID, or a lookup target (an infohash is one too). Distance
/// between two IDs is their XOR read as a big-endian number (BEP 5).
///
/// Stored as three machine words rather than a byte array: the routing table and lookups compare
/// and XOR IDs constantly, and words make that a few instructions with no allocation.
public struct NodeID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public static let byteCount = 20
    public static let bitCount = 160

    /// Bits 0–63 (the most significant), 64–127 and 128–159.
    @usableFromInline let high: UInt64
    @usableFromInline let middle: UInt64
    @usableFromInline let low: UInt32

    @inlinable init(high: UInt64, middle: UInt64, low: UInt32) {
        self.high = high
        self.middle = middle
        self.low = low
    }

    /// Nil unless `bytes` holds exactly 20 bytes.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount else { return nil }
        let array = Array(bytes)
        func word(_ range: Range<Int>) -> UInt64 { array[range].reduce(0) { $0 << 8 | UInt64($1) } }
        self.init(high: word(0..<8), middle: word(8..<16), low: UInt32(word(16..<20)))
    }

    /// The all-zero ID.
    public static let zero = NodeID(high: 0, middle: 0, low: 0)

    /// The 20 bytes, most significant first.
    public var bytes: [UInt8] {
        withUnsafeBytes(of: high.bigEndian) { Array($0) } + withUnsafeBytes(of: middle.bigEndian) { Array($0) }
            + withUnsafeBytes(of: low.bigEndian) { Array($0) }
    }

    /// Lowercase hexadecimal, 40 digits.
    public var description: String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// The XOR distance to `other`, itself an ID-sized number.
    @inlinable public func distance(to other: NodeID) -> NodeID {
        NodeID(high: high ^ other.high, middle: middle ^ other.middle, low: low ^ other.low)
    }

    /// How many leading bits this ID shares with `other` (160 when equal).
    @inlinable public func commonPrefixLength(with other: NodeID) -> Int {
        distance(to: other).leadingZeroBitCount
    }

    /// Leading zero bits of the 160-bit number.
    @inlinable public var leadingZeroBitCount: Int {
        if high != 0 { return high.leadingZeroBitCount }
        if middle != 0 { return 64 + middle.leadingZeroBitCount }
        return 128 + low.leadingZeroBitCount
    }

    /// Bit `index`, counted from the most significant (0) to the least (159).
    public func bit(_ index: Int) -> Bool {
        precondition((0..<Self.bitCount).contains(index), "bit index \(index) outside 0..<160")
        switch index {
        case 0..<64: return high >> (63 - index) & 1 == 1
        case 64..<128: return middle >> (127 - index) & 1 == 1
        default: return low >> (159 - index) & 1 == 1
        }
    }

    /// Compares as 160-bit big-endian numbers; on distances, "closer" is "smaller".
    @inlinable public static func < (lhs: NodeID, rhs: NodeID) -> Bool {
        if lhs.high != rhs.high { return lhs.high < rhs.high }
        if lhs.middle != rhs.middle { return lhs.middle < rhs.middle }
        return lhs.low < rhs.low
    }

    /// A uniformly random ID.
    public static func random(using generator: inout some RandomNumberGenerator) -> NodeID {
        NodeID(high: generator.next(), middle: generator.next(), low: UInt32(truncatingIfNeeded: generator.next()))
    }

    /// A random ID whose first `prefixLength` bits equal those of `base`; with `flippingNextBit`, the bit
    /// after them differs from `base`'s, so the result's common prefix with `base` is exactly
    /// `prefixLength`. That is a random ID in routing-table bucket `prefixLength` (for a refresh).
    public static func random(
        sharingPrefixOf base: NodeID, length prefixLength: Int, flippingNextBit: Bool,
        using generator: inout some RandomNumberGenerator
    ) -> NodeID {
        precondition((0...bitCount).contains(prefixLength), "prefix length \(prefixLength) outside 0...160")
        let random = NodeID.random(using: &generator)
        let keep = mask(leadingBits: prefixLength)
        var id = NodeID(
            high: base.high & keep.high | random.high & ~keep.high,
            middle: base.middle & keep.middle | random.middle & ~keep.middle,
            low: base.low & keep.low | random.low & ~keep.low)
        if flippingNextBit && prefixLength < bitCount {
            let flip = mask(leadingBits: prefixLength + 1).distance(to: keep)
            let wanted = base.distance(to: flip)
            id = NodeID(
                high: id.high & ~flip.high | wanted.high & flip.high,
                middle: id.middle & ~flip.middle | wanted.middle & flip.middle,
                low: id.low & ~flip.low | wanted.low & flip.low)
        }
        return id
    }

    /// An ID with its first `count` bits set and the rest clear.
    static func mask(leadingBits count: Int) -> NodeID {
        func word64(_ bits: Int) -> UInt64 { bits <= 0 ? 0 : bits >= 64 ? .max : ~(UInt64.max >> bits) }
        let lowBits = min(max(count - 128, 0), 32)
        return NodeID(
            high: word64(count), middle: word64(count - 64),
            low: lowBits == 0 ? 0 : lowBits == 32 ? .max : ~(UInt32.max >> lowBits))
    }
}
