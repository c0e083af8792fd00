/// An IPv4 or IPv6 address and a UDP or TCP port: where a DHT node listens, or where a peer accepts
/// connections. Stored as integers so that tables keyed by it hash and compare without allocating.
public struct DHTEndpoint: Hashable, Sendable, CustomStringConvertible {
    public enum Host: Hashable, Sendable {
        case v4(UInt32)
        /// The 128 bits as two big-endian halves.
        case v6(UInt64, UInt64)
    }

    public enum Family: Sendable, Hashable {
        case ipv4, ipv6

        /// Bytes of an address of this family.
        public var addressSize: Int { self == .ipv4 ? 4 : 16 }
    }

    public var host: Host
    public var port: UInt16

    public init(host: Host, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Nil unless `addressBytes` holds 4 or 16 bytes (network order).
    public init?(addressBytes: some Collection<UInt8>, port: UInt16) {
        switch addressBytes.count {
        case 4:
            self.init(host: .v4(addressBytes.reduce(0) { $0 << 8 | UInt32($1) }), port: port)
        case 16:
            let high = addressBytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let low = addressBytes.dropFirst(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            self.init(host: .v6(high, low), port: port)
        default:
            return nil
        }
    }

    /// An IPv4 endpoint from its four octets, for tests and configuration.
    public static func ipv4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8, port: UInt16) -> DHTEndpoint {
        DHTEndpoint(host: .v4(UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)), port: port)
    }

    public var family: Family {
        if case .v4 = host { return .ipv4 }
        return .ipv6
    }

    /// The address in network order: 4 or 16 bytes.
    public var addressBytes: [UInt8] {
        switch host {
        case .v4(let address):
            return (0..<4).map { UInt8(truncatingIfNeeded: address >> (24 - 8 * $0)) }
        case .v6(let high, let low):
            return (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * $0)) }
                + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * $0)) }
        }
    }

    /// The same host on port 0: the key for limits that count per address, whatever the port.
    public var withoutPort: DHTEndpoint { DHTEndpoint(host: host, port: 0) }

    /// `192.0.2.1:6881` or `[2001:db8:0:0:0:0:0:1]:6881` (IPv6 unabbreviated: this is for logs).
    public var description: String {
        switch host {
        case .v4:
            return addressBytes.map { String($0) }.joined(separator: ".") + ":\(port)"
        case .v6:
            let bytes = addressBytes
            let groups = stride(from: 0, to: 16, by: 2).map {
                String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16)
            }
            return "[" + groups.joined(separator: ":") + "]:\(port)"
        }
    }
}
