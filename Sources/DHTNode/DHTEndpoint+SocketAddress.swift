import DHT
import NIOCore
import TorrentModel

extension DHTEndpoint {
    /// The address and port of a socket peer; nil for Unix sockets.
    init?(_ socketAddress: SocketAddress) {
        let port = UInt16(truncatingIfNeeded: socketAddress.port ?? 0)
        switch socketAddress {
        case .v4(let address):
            guard let endpoint = withUnsafeBytes(of: address.address.sin_addr, { Self(addressBytes: $0, port: port) })
            else { return nil }
            self = endpoint
        case .v6(let address):
            guard let endpoint = withUnsafeBytes(of: address.address.sin6_addr, { Self(addressBytes: $0, port: port) })
            else { return nil }
            self = endpoint
        case .unixDomainSocket:
            return nil
        }
    }

    /// The socket address to send to.
    var socketAddress: SocketAddress? {
        try? SocketAddress(packedIPAddress: ByteBuffer(bytes: addressBytes), port: Int(port))
    }

    /// The address as the engine dials it: dotted IPv4 or full IPv6 (without brackets), and the port.
    public var peerAddress: PeerAddress {
        let text = description
        var host = text[..<text.lastIndex(of: ":")!]
        if host.first == "[" { host = host.dropFirst().dropLast() }
        return PeerAddress(host: String(host), port: port)
    }
}
