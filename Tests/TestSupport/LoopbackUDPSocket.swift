import Foundation

/// A plain non-blocking UDP socket on loopback for tests: it sends whatever bytes a test likes to a multicast group
/// (out through 127.0.0.1, from a source address of the test's choosing in 127.0.0.0/8) and, when listening,
/// receives what is sent to the group, or to one address of its own, with the kernel's receive time. Sendable: it
/// is only a descriptor, and the kernel serialises calls on it.
public final class LoopbackUDPSocket: Sendable {
    public struct Packet: Sendable {
        public var bytes: [UInt8]
        /// The sender's address and port.
        public var source: String
        public var sourcePort: Int
        /// When the kernel received it, in seconds since 1970 (SIOCGSTAMP).
        public var received: Double
    }

    let descriptor: Int32
    /// The group (or, for a unicast listener, the address) and port it sends to or listens on.
    public let group: String
    public let port: Int

    /// A socket bound to `source`:0 that only sends, or, with `listening`, one bound to the group and port
    /// and joined on 127.0.0.1, as the LSD service is.
    public init(group: String, port: Int, listening: Bool = false, source: String = "127.0.0.1") throws {
        self.group = group
        self.port = port
        descriptor = try Self.open(binding: listening ? group : source, port: listening ? port : 0, join: listening)
    }

    /// A socket that listens on `host` and a port the kernel picks (`port`), for packets sent to it alone.
    public init(listeningOn host: String) throws {
        group = host
        let descriptor = try Self.open(binding: host, port: 0, join: false)
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else {
            close(descriptor)
            throw SocketFailure(what: "getsockname", code: errno)
        }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    private static func open(binding host: String, port: Int, join: Bool) throws -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw SocketFailure(what: "socket", code: errno) }
        do {
            try Self.check("SO_REUSEADDR", Self.set(descriptor, SOL_SOCKET, SO_REUSEADDR, CInt(1)))
            var address = try Self.address(host, port: port)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            try Self.check("bind", bound)
            let loopback = try Self.address("127.0.0.1", port: 0).sin_addr
            if join {
                let request = ip_mreq(imr_multiaddr: try Self.address(host, port: 0).sin_addr, imr_interface: loopback)
                try Self.check(
                    "IP_ADD_MEMBERSHIP", Self.set(descriptor, Int32(IPPROTO_IP), Int32(IP_ADD_MEMBERSHIP), request))
                try Self.check(
                    "IP_MULTICAST_ALL", Self.set(descriptor, Int32(IPPROTO_IP), Int32(IP_MULTICAST_ALL), CInt(0)))
            }
            // The first SIOCGSTAMP turns receive timestamps on (and fails: nothing was received yet); without it,
            // packets queued before the first read would all get the time of that read.
            var stamp = timeval()
            _ = ioctl(descriptor, Self.siocgstamp, &stamp)
            try Self.check("IP_MULTICAST_IF", Self.set(descriptor, Int32(IPPROTO_IP), Int32(IP_MULTICAST_IF), loopback))
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        } catch {
            close(descriptor)
            throw error
        }
        return descriptor
    }

    deinit { close(descriptor) }

    /// Sends `bytes` to the group; a full socket buffer drops the packet, as the network would.
    public func send(_ bytes: [UInt8]) {
        guard var address = try? Self.address(group, port: port) else { return }
        _ = bytes.withUnsafeBytes { buffer in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(
                        descriptor, buffer.baseAddress, buffer.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }

    /// Every packet waiting now.
    public func receiveAll() -> [Packet] {
        var packets: [Packet] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            var source = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let count = buffer.withUnsafeMutableBytes { bytes in
                withUnsafeMutablePointer(to: &source) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        recvfrom(descriptor, bytes.baseAddress, bytes.count, 0, $0, &length)
                    }
                }
            }
            guard count >= 0 else { return packets }
            // The kernel's receive time of the packet just read.
            var stamp = timeval()
            let received =
                ioctl(descriptor, Self.siocgstamp, &stamp) == 0
                ? Double(stamp.tv_sec) + Double(stamp.tv_usec) / 1e6 : Date().timeIntervalSince1970
            var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            inet_ntop(AF_INET, &source.sin_addr, &text, socklen_t(INET_ADDRSTRLEN))
            let host = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            packets.append(
                Packet(
                    bytes: Array(buffer[0..<count]), source: host, sourcePort: Int(UInt16(bigEndian: source.sin_port)),
                    received: received))
        }
    }

    /// SIOCGSTAMP (SIOCGSTAMP_OLD in linux/sockios.h; the header's macro does not import).
    private static let siocgstamp: UInt = 0x8906

    private static func address(_ host: String, port: Int) throws -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw SocketFailure(what: "inet_pton", code: EINVAL)
        }
        return address
    }

    private static func set<Value>(_ descriptor: Int32, _ level: Int32, _ name: Int32, _ value: Value) -> Int32 {
        withUnsafePointer(to: value) { setsockopt(descriptor, level, name, $0, socklen_t(MemoryLayout<Value>.size)) }
    }

    private static func check(_ what: String, _ result: Int32) throws {
        guard result == 0 else { throw SocketFailure(what: what, code: errno) }
    }
}
