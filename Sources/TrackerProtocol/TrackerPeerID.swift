/// A 20-byte peer id held inline (no array), for the registry's entries.
public struct TrackerPeerID: Hashable, Sendable {
    let first: UInt64
    let second: UInt64
    let third: UInt32

    /// Nil unless `bytes` holds exactly 20 bytes.
    public init?(_ bytes: some Collection<UInt8>) {
        guard bytes.count == TrackerLimits.peerIDSize else { return nil }
        var first: UInt64 = 0
        var second: UInt64 = 0
        var third: UInt32 = 0
        for (index, byte) in bytes.enumerated() {
            switch index {
            case 0..<8: first = first << 8 | UInt64(byte)
            case 8..<16: second = second << 8 | UInt64(byte)
            default: third = third << 8 | UInt32(byte)
            }
        }
        self.first = first
        self.second = second
        self.third = third
    }

    public var bytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(TrackerLimits.peerIDSize)
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: first >> shift)) }
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: second >> shift)) }
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: third >> shift)) }
        return bytes
    }
}
