/// A peer's address and port as the tracker's registry keys it: 16 bytes and a port, no heap storage, so
/// looking a peer up or copying it into a response allocates nothing.
///
/// IPv4 addresses (and IPv4-mapped IPv6 ones, `::ffff:a.b.c.d`, which a dual-stack socket reports) are
/// kept as IPv4: a client seen over either form is the same peer and gets the 6-byte compact entry.
public struct TrackerPeerAddress: Hashable, Sendable, CustomStringConvertible {
    /// Bytes 0..<8 of an IPv6 address; 0 for IPv4.
    public let high: UInt64
    /// Bytes 8..<16 of an IPv6 address, or the IPv4 address in the low 32 bits.
    public let low: UInt64
    public let port: UInt16
    public let isIPv6: Bool

    /// Nil unless `addressBytes` holds 4 or 16 bytes.
    public init?(addressBytes: some Collection<UInt8>, port: UInt16) {
        // No array: this runs for every accepted connection.
        var high: UInt64 = 0
        var low: UInt64 = 0
        var count = 0
        for byte in addressBytes {
            if count < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
            count += 1
        }
        switch count {
        case 4:
            self.init(high: 0, low: high, port: port, isIPv6: false)
        case 16:
            if high == 0 && low >> 32 == 0xFFFF {
                self.init(high: 0, low: low & 0xFFFF_FFFF, port: port, isIPv6: false)
            } else {
                self.init(high: high, low: low, port: port, isIPv6: true)
            }
        default:
            return nil
        }
    }

    public init(_ endpoint: PeerEndpoint) {
        self.init(addressBytes: endpoint.addressBytes, port: endpoint.port)!
    }

    private init(high: UInt64, low: UInt64, port: UInt16, isIPv6: Bool) {
        self.high = high
        self.low = low
        self.port = port
        self.isIPv6 = isIPv6
    }

    /// The same address with another port: a client announces the port it listens on, not the one it
    /// connected from.
    public func withPort(_ port: UInt16) -> TrackerPeerAddress {
        TrackerPeerAddress(high: high, low: low, port: port, isIPv6: isIPv6)
    }

    public var family: PeerAddressFamily { isIPv6 ? .ipv6 : .ipv4 }

    /// 4 or 16 bytes, network order.
    public var addressBytes: [UInt8] {
        var bytes: [UInt8] = []
        appendAddress(to: &bytes)
        return bytes
    }

    /// Appends the compact entry (BEP 23 / BEP 7): address then port, big-endian.

    public func appendCompact(to bytes: inout [UInt8]) {
        appendAddress(to: &bytes)
        bytes.append(UInt8(port >> 8))
        bytes.append(UInt8(truncatingIfNeeded: port))
    }

    func appendAddress(to bytes: inout [UInt8]) {
        if isIPv6 {
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: high >> shift)) }
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: low >> shift)) }
        } else {
            for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: low >> shift)) }
        }
    }

    public var endpoint: PeerEndpoint { PeerEndpoint(validatedAddress: addressBytes, port: port) }

    public var description: String { endpoint.description }
}
