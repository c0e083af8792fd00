import TrackerProtocol

#if canImport(Glibc)
    import Glibc
#endif

/// A listening TCP socket made with the system calls themselves: the tracker's HTTP side runs its own
/// epoll loops (`HTTPWorker`), one per core, each on its own socket of the shared port (SO_REUSEPORT).
struct TCPListenerSocket {
    struct Failure: Error, CustomStringConvertible {
        var call: String
        var code: Int32
        var description: String { "\(String(cString: strerror(code)).lowercased()) (\(call))" }
    }

    let descriptor: Int32
    let port: Int

    /// Binds and listens on `host:port` (numeric host; 0.0.0.0 and :: mean every address, :: both families).
    /// `shared`: SO_REUSEPORT, for the workers; unshared, it proves nobody else holds the port.
    init(host: String, port: Int, shared: Bool) throws(Failure) {
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let info = list else { throw Failure(call: "address \(host)", code: EINVAL) }
        defer { freeaddrinfo(list) }
        let family = info.pointee.ai_family
        let descriptor = socket(
            family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(call: "socket", code: errno) }
        func option(_ level: Int32, _ name: Int32, _ value: Int32) {
            var value = value
            setsockopt(descriptor, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
        }
        option(SOL_SOCKET, SO_REUSEADDR, 1)
        if shared { option(SOL_SOCKET, SO_REUSEPORT, 1) }
        // Accept a connection once its request is in: one wake-up per announce instead of two.
        option(Int32(IPPROTO_TCP), TCP_DEFER_ACCEPT, 1)
        if family == AF_INET6 { option(Int32(IPPROTO_IPV6), IPV6_V6ONLY, 0) }
        guard bind(descriptor, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            let code = errno
            Glibc.close(descriptor)
            throw Failure(call: "bind", code: code)
        }
        guard listen(descriptor, 1024) == 0 else {
            let code = errno
            Glibc.close(descriptor)
            throw Failure(call: "listen", code: code)
        }
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        self.descriptor = descriptor
        self.port = Int(Self.port(of: address))
    }

    func close() { _ = Glibc.close(descriptor) }

    static func port(of address: sockaddr_storage) -> UInt16 {
        withUnsafeBytes(of: address) { raw in
            // sin_port and sin6_port are both at offset 2, in network order.
            UInt16(raw[2]) << 8 | UInt16(raw[3])
        }
    }

    /// The peer of an accepted connection as the registry keys it.
    static func peerAddress(_ address: sockaddr_storage) -> TrackerPeerAddress? {
        let family = Int32(address.ss_family)
        var address = address
        return withUnsafeBytes(of: &address) { raw in
            let port = UInt16(raw[2]) << 8 | UInt16(raw[3])
            switch family {
            case AF_INET: return TrackerPeerAddress(addressBytes: raw[4..<8], port: port)
            case AF_INET6: return TrackerPeerAddress(addressBytes: raw[8..<24], port: port)
            default: return nil
            }
        }
    }
}
