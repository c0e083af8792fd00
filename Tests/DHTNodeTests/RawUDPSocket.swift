import Foundation
import TestSupport

/// A plain non-blocking UDP socket on 127.0.0.1 for sending a node whatever bytes a test likes, from a
/// port of its own; reads poll, so no cooperative thread is ever blocked. Sendable: it is only a
/// descriptor, and the kernel serialises calls on it.
final class RawUDPSocket: Sendable {
    let descriptor: Int32

    init() throws {
        descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw SocketFailure(what: "socket", code: errno) }
        var address = FreePort.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            close(descriptor)
            throw SocketFailure(what: "bind", code: errno)
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
    }

    deinit { close(descriptor) }

    /// Sends `bytes` to 127.0.0.1:`port`; a full socket buffer drops the packet, as the network would.
    func send(_ bytes: [UInt8], to port: Int) {
        var address = FreePort.loopback(port: port)
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
    func receiveAll() -> [[UInt8]] {
        var packets: [[UInt8]] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return packets }
            packets.append(Array(buffer[0..<count]))
        }
    }
}
