/// A 20-byte peer id held inline (no array), for the registry's entries.
public struct TrackerPeerID: Hashable, Sendable {
    let first: UInt64
    let second: UInt64
    let third: UInt32

    /// Nil unless `bytes` holds exactly 20 bytes.
    public init?(_ bytes: some Collection<UInt8>) {
        guard bytes.count == TrackerLimits.peerIDSize else { return nil }
        let array = Array(bytes)
        first = array[0..<8].reduce(0) { $0 << 8 | UInt64($1) }
        second = array[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
        third = array[16..<20].reduce(0) { $0 << 8 | UInt32($1) }
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
