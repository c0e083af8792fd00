import NIOCore
import TrackerProtocol

extension PeerEndpoint {
    /// The address to dial. The host is always numeric, so this fails only on an address NIO refuses.
    public func socketAddress() throws -> SocketAddress {
        try SocketAddress(ipAddress: host, port: Int(port))
    }

    /// The peer at an IPv4 or IPv6 socket address (a tracker's view of who announced); nil for other kinds.
    public init?(socketAddress: SocketAddress) {
        guard let ip = socketAddress.ipAddress, let port = socketAddress.port, let port16 = UInt16(exactly: port) else {
            return nil
        }
        self.init(host: ip, port: port16)
    }
}
