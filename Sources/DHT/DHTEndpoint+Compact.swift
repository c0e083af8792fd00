extension DHTEndpoint {
    /// The compact form (BEP 5 "compact peer info", BEP 32 for IPv6): address then port, big-endian;
    /// 6 bytes for IPv4, 18 for IPv6.
    public var compactBytes: [UInt8] { addressBytes + [UInt8(port >> 8), UInt8(port & 0xFF)] }

    /// Size of a compact entry of `family`.
    public static func compactSize(_ family: Family) -> Int { family.addressSize + 2 }

    /// Reads one compact entry: 6 or 18 bytes exactly, anything else is nil.
    public init?(compact bytes: some Collection<UInt8>) {
        guard bytes.count == 6 || bytes.count == 18 else { return nil }
        let port = bytes.suffix(2).reduce(UInt16(0)) { $0 << 8 | UInt16($1) }
        self.init(addressBytes: bytes.dropLast(2), port: port)
    }
}
