import Glibc

/// Plain sockets to a tracker on loopback (IPv4 or IPv6), so the tests control every byte they send.
enum LoopbackClient {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Sends `request` over TCP and reads until the server closes (requests say `Connection: close`);
    /// `halfClose` shuts the sending side down after the request, as some HTTP/1.0 clients do.
    static func http(
        host: String = "127.0.0.1", port: Int, raw request: [UInt8], halfClose: Bool = false
    ) throws -> (status: Int, body: [UInt8]) {
        let descriptor = try connected(host: host, port: port, type: Int32(SOCK_STREAM.rawValue))
        defer { close(descriptor) }
        var sent = 0
        while sent < request.count {
            let count = request[sent...].withUnsafeBytes {
                send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            // The server may close on an oversized request before reading it all.
            if count <= 0 { break }
            sent += count
        }
        if halfClose { shutdown(descriptor, Int32(SHUT_WR)) }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count <= 0 { break }
            response += buffer[0..<count]
        }
        guard let split = response.firstRange(of: Array("\r\n\r\n".utf8)) else {
            throw Failure(description: "no HTTP response (\(response.count) bytes)")
        }
        let statusLine = String(decoding: response[..<split.lowerBound], as: UTF8.self).split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw Failure(description: "bad status line")
        }
        return (status, Array(response[split.upperBound...]))
    }

    static func get(host: String = "127.0.0.1", port: Int, _ target: String) throws -> (status: Int, body: [UInt8]) {
        try http(
            host: host, port: port,
            raw: Array("GET \(target) HTTP/1.1\r\nHost: tracker\r\nConnection: close\r\n\r\n".utf8))
    }

    /// Sends `bytes` (say, half a request), then waits up to `timeout` seconds for the server to close the
    /// connection; returns the seconds it took, or nil if it stayed open.
    static func secondsUntilClosed(port: Int, sending bytes: [UInt8], timeout: Int) throws -> Double? {
        let descriptor = try connected(host: "127.0.0.1", port: port, type: Int32(SOCK_STREAM.rawValue))
        defer { close(descriptor) }
        var wait = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        _ = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var start = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        guard count == 0 else { return nil }
        var end = timespec()
        clock_gettime(CLOCK_MONOTONIC, &end)
        return Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
    }

    /// Sends one datagram and waits up to `timeout` seconds for one back; nil if none came.
    static func udp(host: String = "127.0.0.1", port: Int, _ packet: [UInt8], timeout: Int = 2) throws -> [UInt8]? {
        let descriptor = try connected(host: host, port: port, type: Int32(SOCK_DGRAM.rawValue))
        defer { close(descriptor) }
        var wait = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        _ = packet.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        return count > 0 ? Array(buffer[0..<count]) : nil
    }

    /// A UDP socket kept open: a connection id is bound to the client's port, so connect and announce
    /// must come from the same socket.
    final class UDPSession {
        let descriptor: Int32

        init(host: String = "127.0.0.1", port: Int) throws {
            descriptor = try connected(host: host, port: port, type: Int32(SOCK_DGRAM.rawValue))
            var wait = timeval(tv_sec: 2, tv_usec: 0)
            setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        }

        deinit { close(descriptor) }

        func exchange(_ packet: [UInt8]) -> [UInt8]? {
            _ = packet.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = recv(descriptor, &buffer, buffer.count, 0)
            return count > 0 ? Array(buffer[0..<count]) : nil
        }
    }

    private static func connected(host: String, port: Int, type: Int32) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = type
        hints.ai_flags = AI_NUMERICHOST
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &result) == 0, let info = result else {
            throw Failure(description: "cannot resolve \(host)")
        }
        defer { freeaddrinfo(result) }
        let descriptor = socket(info.pointee.ai_family, type, 0)
        guard descriptor >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        guard connect(descriptor, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            close(descriptor)
            throw Failure(description: "connect to \(host):\(port): errno \(errno)")
        }
        return descriptor
    }
}
