import TorrentModel

/// A peer as trackers name it: an IPv4 or IPv6 address as raw bytes, and a port.
public struct PeerEndpoint: Hashable, Sendable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6, in network order.
    public let addressBytes: [UInt8]
    public var port: UInt16

    /// Nil unless `addressBytes` holds 4 or 16 bytes.
    public init?(addressBytes: [UInt8], port: UInt16) {
        guard addressBytes.count == 4 || addressBytes.count == 16 else { return nil }
        self.addressBytes = addressBytes
        self.port = port
    }

    /// Parses a numeric address, `192.0.2.1` or `2001:db8::1`; host names are refused (nil).
    public init?(host: some StringProtocol, port: UInt16) {
        guard let bytes = IPAddressText.parse(host) else { return nil }
        self.addressBytes = bytes
        self.port = port
    }

    /// For callers that already hold 4 or 16 bytes.
    init(validatedAddress: [UInt8], port: UInt16) {
        self.addressBytes = validatedAddress
        self.port = port
    }

    public var family: PeerAddressFamily { addressBytes.count == 4 ? .ipv4 : .ipv6 }

    /// The address as text: dotted IPv4, or RFC 5952 IPv6 (`2001:db8::1`, `::ffff:192.0.2.1`).
    public var host: String { IPAddressText.format(addressBytes) }

    /// `192.0.2.1:6881` or `[2001:db8::1]:6881`.
    public var description: String {
        family == .ipv4 ? "\(host):\(port)" : "[\(host)]:\(port)"
    }

    /// The same peer in TorrentModel's text form, as magnet links carry peers.
    public var peerAddress: PeerAddress { PeerAddress(host: host, port: port) }
}
