import Foundation

/// Ports on 127.0.0.1 that were free a moment ago, found by binding port 0 with plain sockets.
public enum FreePort {
    /// A TCP port the kernel picked.
    public static func tcp() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw SocketFailure(what: "socket", code: errno) }
        defer { close(descriptor) }
        var address = loopback(port: 0)
        guard bind(descriptor, &address) == 0 else { throw SocketFailure(what: "bind", code: errno) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { throw SocketFailure(what: "getsockname", code: errno) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether a UDP socket can bind `port` right now.
    public static func isUDPFree(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = loopback(port: port)
        return bind(descriptor, &address) == 0
    }

    /// 127.0.0.1:`port` as a socket address.
    public static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }

    private static func bind(_ descriptor: Int32, _ address: inout sockaddr_in) -> Int32 {
        withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }
}

public struct SocketFailure: Error, CustomStringConvertible {
    public var what: String
    public var code: Int32

    public init(what: String, code: Int32) {
        self.what = what
        self.code = code
    }

    public var description: String { "\(what) failed: \(String(cString: strerror(code)))" }
}
