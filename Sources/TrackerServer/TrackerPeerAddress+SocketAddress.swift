import NIOCore
import TrackerProtocol

extension TrackerPeerAddress {
    /// The address and port of a socket peer; nil for Unix sockets.
    init?(_ socketAddress: SocketAddress) {
        switch socketAddress {
        case .v4(let address):
            let port = UInt16(socketAddress.port ?? 0)
            guard let peer = withUnsafeBytes(of: address.address.sin_addr, { Self(addressBytes: $0, port: port) })
            else { return nil }
            self = peer
        case .v6(let address):
            let port = UInt16(socketAddress.port ?? 0)
            guard let peer = withUnsafeBytes(of: address.address.sin6_addr, { Self(addressBytes: $0, port: port) })
            else { return nil }
            self = peer
        case .unixDomainSocket:
            return nil
        }
    }
}
