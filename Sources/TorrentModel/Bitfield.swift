/// One bit per piece, in the wire layout of BEP 3: piece 0 is the high bit of the first byte, and the
/// spare bits at the end of the last byte are zero.
public struct Bitfield: Hashable, Sendable {
    public let count: Int
    public private(set) var bytes: [UInt8]
    /// How many bits are set, kept up to date so "is it complete" costs nothing.
    public private(set) var setCount: Int

    public init(count: Int, allSet: Bool = false) {
        precondition(count >= 0)
        self.count = count
        self.bytes = [UInt8](repeating: allSet ? 0xFF : 0, count: (count + 7) / 8)
        self.setCount = allSet ? count : 0
        if allSet { clearSpareBits() }
    }

    /// Reads a bitfield as a peer sent it; nil when the length is wrong or a spare bit is set
    /// (BEP 3 says a peer sending either should be dropped).
    public init?(wireBytes: [UInt8], count: Int) {
        guard count >= 0, wireBytes.count == (count + 7) / 8 else { return nil }
        if count % 8 != 0, let last = wireBytes.last, last & (0xFF >> UInt8(count % 8)) != 0 { return nil }
        self.count = count
        self.bytes = wireBytes
        self.setCount = wireBytes.reduce(0) { $0 + $1.nonzeroBitCount }
    }

    public subscript(index: Int) -> Bool {
        get {
            precondition(index >= 0 && index < count, "bit \(index) out of range 0..<\(count)")
            return bytes[index >> 3] & (0x80 >> UInt8(index & 7)) != 0
        }
        set {
            precondition(index >= 0 && index < count, "bit \(index) out of range 0..<\(count)")
            let mask: UInt8 = 0x80 >> UInt8(index & 7)
            let wasSet = bytes[index >> 3] & mask != 0
            guard wasSet != newValue else { return }
            if newValue {
                bytes[index >> 3] |= mask
                setCount += 1
            } else {
                bytes[index >> 3] &= ~mask
                setCount -= 1
            }
        }
    }

    public var isComplete: Bool { setCount == count }
    public var isEmpty: Bool { setCount == 0 }

    /// Indices of set bits, in order.
    public var setIndices: [Int] {
        var indices: [Int] = []
        indices.reserveCapacity(setCount)
        for (byteIndex, byte) in bytes.enumerated() where byte != 0 {
            for bit in 0..<8 where byte & (0x80 >> UInt8(bit)) != 0 {
                indices.append(byteIndex * 8 + bit)
            }
        }
        return indices
    }

    private mutating func clearSpareBits() {
        if count % 8 != 0 { bytes[bytes.count - 1] &= ~(0xFF >> UInt8(count % 8)) }
    }
}

extension Bitfield: CustomStringConvertible {
    /// `1` for set, `0` for clear, piece 0 first.
    public var description: String {
        String((0..<count).map { self[$0] ? "1" : "0" })
    }
}
