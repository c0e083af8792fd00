import NIOCore
import TrackerProtocol

extension TrackerPeerAddress {
    /// The address and port of a socket peer; nil for Unix sockets.
    init?(_ socketAddress: SocketAddress) {
        switch socketAddress {
        case .v4(let address):
            var raw = address.address.sin_addr
            let bytes = withUnsafeBytes(of: &raw) { Array($0) }
            self.init(addressBytes: bytes, port: UInt16(socketAddress.port ?? 0))
        case .v6(let address):
            var raw = address.address.sin6_addr
            let bytes = withUnsafeBytes(of: &raw) { Array($0) }
            self.init(addressBytes: bytes, port: UInt16(socketAddress.port ?? 0))
        case .unixDomainSocket:
            return nil
        }
    }
}
