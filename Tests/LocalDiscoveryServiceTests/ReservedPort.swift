import Foundation
import LocalDiscovery
import TestSupport

/// A UDP port held for one test's group: a socket bound to 127.0.0.1 and a port the kernel picks (never
/// 6771), without SO_REUSEADDR. The test's services bind the group address and that port, which does not
/// clash with 127.0.0.1; but while it is held the kernel hands the port to no other socket asking for a free
/// one (their wildcard or 127.0.0.1 binds would clash), so tests running at the same time, in this process
/// or another, never share a port. Hold it for the whole test: `defer { reserved.release() }`.
final class ReservedPort {
    let port: Int
    private var descriptor: Int32

    init() throws {
        while true {
            let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            guard descriptor >= 0 else { throw SocketFailure(what: "socket", code: errno) }
            var address = FreePort.loopback(port: 0)
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let named = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.bind(descriptor, $0, length) == 0 ? getsockname(descriptor, $0, &length) : -1
                }
            }
            guard named == 0 else {
                let code = errno
                close(descriptor)
                throw SocketFailure(what: "bind", code: code)
            }
            let port = Int(UInt16(bigEndian: address.sin_port))
            if port == LSDLimits.port {
                close(descriptor)
                continue
            }
            self.port = port
            self.descriptor = descriptor
            return
        }
    }

    /// Lets the port go.
    func release() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
