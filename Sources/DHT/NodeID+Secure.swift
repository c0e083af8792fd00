/// BEP 42: node IDs tied to the node's external address, so that one host cannot place itself at
/// any point of the ID space (Sybil attacks on a chosen infohash). The first 21 bits of the ID are the
/// top bits of crc32c(masked address with `r` in its top 3 bits); the last byte carries `r`.
extension NodeID {
    private static let ipv4Mask: [UInt8] = [0x03, 0x0F, 0x3F, 0xFF]
    private static let ipv6Mask: [UInt8] = [0x01, 0x03, 0x07, 0x0F, 0x1F, 0x3F, 0x7F, 0xFF]

    /// A BEP 42 ID for a node seen at `host`; `random` supplies `r` (its low 3 bits), the 3 free bits
    /// of byte 2 and bytes 3–18.
    public static func secure(for host: DHTEndpoint.Host, using generator: inout some RandomNumberGenerator) -> NodeID {
        let seed = UInt8(truncatingIfNeeded: generator.next())
        let prefix = securePrefix(for: host, r: seed & 0x07)
        var bytes = NodeID.random(using: &generator).bytes
        bytes[0] = UInt8(truncatingIfNeeded: prefix >> 24)
        bytes[1] = UInt8(truncatingIfNeeded: prefix >> 16)
        bytes[2] = UInt8(truncatingIfNeeded: prefix >> 8) & 0xF8 | bytes[2] & 0x07
        bytes[19] = seed
        return NodeID(bytes: bytes)!
    }

    /// True when this ID is a valid BEP 42 ID for `host`. Addresses exempt from BEP 42 (private,
    /// loopback, link-local) accept any ID: nodes there cannot know their external address.
    public func isSecure(for host: DHTEndpoint.Host) -> Bool {
        if Self.isExempt(host) { return true }
        let bytes = self.bytes
        let prefix = Self.securePrefix(for: host, r: bytes[19] & 0x07)
        return bytes[0] == UInt8(truncatingIfNeeded: prefix >> 24)
            && bytes[1] == UInt8(truncatingIfNeeded: prefix >> 16)
            && bytes[2] & 0xF8 == UInt8(truncatingIfNeeded: prefix >> 8) & 0xF8
    }

    /// crc32c of the masked address (first 4 bytes of IPv4, first 8 of IPv6) with `r` in the top bits.
    static func securePrefix(for host: DHTEndpoint.Host, r: UInt8) -> UInt32 {
        let address = DHTEndpoint(host: host, port: 0).addressBytes
        var masked: [UInt8]
        switch host {
        case .v4: masked = zip(address, ipv4Mask).map { $0 & $1 }
        case .v6: masked = zip(address.prefix(8), ipv6Mask).map { $0 & $1 }
        }
        masked[0] |= r << 5
        return CRC32C.checksum(masked)
    }

    /// The ranges BEP 42 exempts: 10/8, 172.16/12, 192.168/16, 169.254/16, 127/8; IPv6 loopback,
    /// unique-local fc00::/7 and link-local fe80::/10.
    static func isExempt(_ host: DHTEndpoint.Host) -> Bool {
        switch host {
        case .v4(let address):
            let a = address >> 24
            let b = (address >> 16) & 0xFF
            return a == 10 || a == 127 || (a == 172 && (16...31).contains(b)) || (a == 192 && b == 168)
                || (a == 169 && b == 254)
        case .v6(let high, let low):
            return (high == 0 && low == 1) || high >> 57 == 0x7E || high >> 54 == 0x3FA
        }
    }
}
