/// The 8 reserved bytes of the handshake, where peers announce the extensions they support.
///
/// The raw value reads the bytes as one big-endian integer, so byte 0 is the most significant;
/// bits Shoal does not know are kept, so a handshake round-trips unchanged.
public struct ReservedBits: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// The bit `mask` of reserved byte `byte` (0...7), in the numbering BEPs use.
    public init(byte: Int, mask: UInt8) {
        precondition(byte >= 0 && byte < 8, "reserved byte \(byte) out of range 0..<8")
        self.rawValue = UInt64(mask) << UInt64(8 * (7 - byte))
    }

    /// BEP 5: the peer runs a DHT node and may send `port` (reserved[7] & 0x01).
    public static let dht = ReservedBits(byte: 7, mask: 0x01)
    /// BEP 6: the fast extension, with have all/none, suggest, reject and allowed fast (reserved[7] & 0x04).
    public static let fastExtension = ReservedBits(byte: 7, mask: 0x04)
    /// BEP 10: the extension protocol (reserved[5] & 0x10).
    public static let extensionProtocol = ReservedBits(byte: 5, mask: 0x10)

    /// What Shoal announces: the fast extension and the extension protocol (for ut_metadata).
    public static let shoal: ReservedBits = [.fastExtension, .extensionProtocol]

    /// The 8 bytes as they go on the wire.
    public var bytes: [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: rawValue >> UInt64(8 * (7 - $0))) }
    }

    public init?(bytes: [UInt8]) {
        guard bytes.count == 8 else { return nil }
        self.rawValue = bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    public var description: String {
        var names: [String] = []
        if contains(.dht) { names.append("dht") }
        if contains(.fastExtension) { names.append("fast") }
        if contains(.extensionProtocol) { names.append("extensions") }
        let other = subtracting([.dht, .fastExtension, .extensionProtocol])
        if !other.isEmpty { names.append("other 0x" + String(other.rawValue, radix: 16)) }
        return "[" + names.joined(separator: ", ") + "]"
    }
}
