import NIOCore
import PeerWire
import TorrentModel

extension PeerAddress {
    /// The address from a `ut_pex` entry, its host written as NIO writes a connection's remote address, so
    /// it compares equal to the address of a connection to the same peer. Nil for port 0.
    init?(_ compact: PEXMessage.Address) {
        guard compact.port != 0,
            let socket = try? SocketAddress(packedIPAddress: ByteBuffer(bytes: compact.addressBytes), port: 0),
            let host = socket.ipAddress
        else { return nil }
        self.init(host: host, port: compact.port)
    }

    /// The `ut_pex` form of the address; nil when the host is a name rather than an IP address.
    var compact: PEXMessage.Address? {
        guard let socket = try? SocketAddress(ipAddress: host, port: 0) else { return nil }
        switch socket {
        case .v4(let address):
            let bytes = withUnsafeBytes(of: address.address.sin_addr) { Array($0) }
            return PEXMessage.Address(addressBytes: bytes, port: port)
        case .v6(let address):
            let bytes = withUnsafeBytes(of: address.address.sin6_addr) { Array($0) }
            return PEXMessage.Address(addressBytes: bytes, port: port)
        case .unixDomainSocket:
            return nil
        }
    }

    /// A loopback or unspecified host: on this machine, whatever the exact address.
    var isLocalHost: Bool {
        host.hasPrefix("127.") || host == "::1" || host == "0.0.0.0" || host == "::" || host == "localhost"
    }
}
