import CEpoll
import Foundation
import Synchronization
import TrackerProtocol

#if canImport(Glibc)
    import Glibc
#endif

/// One thread serving the tracker's HTTP side on its own listening socket: accept, read, answer, write,
/// close, with the system calls themselves. Clients open a connection per announce, so the cost per
/// connection is the cost per announce; a connection whose request is in when it is accepted (see
/// TCP_DEFER_ACCEPT) and whose answer fits the socket buffer never touches epoll at all. Slow and
/// keep-alive connections wait in epoll; those silent for `httpIdleTimeout` are closed.
final class HTTPWorker: @unchecked Sendable {
    // @unchecked: everything but `stopSignal` is touched only by the worker's own thread.
    static let acceptsPerWakeUp = 64

    private struct Connection {
        var state = HTTPConnectionState()
        let source: TrackerPeerAddress
        var output: [UInt8] = []
        var written = 0
        var lastActivity: Double
        var watching: UInt32 = 0
    }

    private let core: TrackerCore
    private let listener: TCPListenerSocket
    private let epoll: Int32
    private let stopSignal: Int32
    private var connections: [Int32: Connection] = [:]
    private var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)
    private var output: [UInt8] = []
    private var listenerPausedUntil: Double?
    private let finished = DispatchSemaphore(value: 0)

    init(core: TrackerCore, listener: TCPListenerSocket) throws(TCPListenerSocket.Failure) {
        self.core = core
        self.listener = listener
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else { throw .init(call: "epoll_create1", code: errno) }
        stopSignal = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard stopSignal >= 0 else {
            Glibc.close(epoll)
            throw .init(call: "eventfd", code: errno)
        }
        watch(listener.descriptor, EPOLLIN.rawValue, add: true)
        watch(stopSignal, EPOLLIN.rawValue, add: true)
    }

    func start(name: String) {
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Asks the thread to close everything and end; returns once it has.
    func stop() async {
        var one: UInt64 = 1
        _ = write(stopSignal, &one, 8)
        let finished = self.finished
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                finished.wait()
                continuation.resume()
            }
        }
    }

    // MARK: The loop

    private func run() {
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        var lastSweep = core.clock()
        loop: while true {
            let count = epoll_wait(epoll, &events, Int32(events.count), 500)
            if count < 0 && errno != EINTR { break }
            for index in 0..<max(0, Int(count)) {
                let descriptor = events[index].data.fd
                let flags = events[index].events
                if descriptor == stopSignal { break loop }
                if descriptor == listener.descriptor {
                    acceptConnections()
                } else {
                    service(
                        descriptor, readable: flags & (EPOLLIN.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0)
                }
            }
            let now = core.clock()
            if let paused = listenerPausedUntil, now >= paused {
                listenerPausedUntil = nil
                watch(listener.descriptor, EPOLLIN.rawValue, add: true)
            }
            if now - lastSweep >= min(5, core.configuration.httpIdleTimeout / 2) {
                lastSweep = now
                closeIdle(now: now)
            }
        }
        for descriptor in connections.keys { Glibc.close(descriptor) }
        connections.removeAll()
        listener.close()
        Glibc.close(stopSignal)
        Glibc.close(epoll)
    }

    private func acceptConnections() {
        for _ in 0..<Self.acceptsPerWakeUp {
            var address = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let descriptor = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    shoal_accept4(
                        listener.descriptor, $0, &length, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
                }
            }
            if descriptor < 0 {
                if errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM {
                    // Out of descriptors: stop accepting for a moment rather than spin on the ready listener.
                    watch(listener.descriptor, 0, add: false, remove: true)
                    listenerPausedUntil = core.clock() + 0.1
                }
                return
            }
            guard let source = TCPListenerSocket.peerAddress(address) else {
                Glibc.close(descriptor)
                continue
            }
            connections[descriptor] = Connection(source: source, lastActivity: core.clock())
            service(descriptor, readable: true)
        }
    }

    /// Reads what there is, answers, writes what it can; closes, or waits in epoll for more.
    private func service(_ descriptor: Int32, readable: Bool) {
        guard var connection = connections[descriptor] else { return }
        var failed = false
        var endOfInput = false
        if readable && !connection.state.closing {
            while true {
                let count = readBuffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
                if count > 0 {
                    connection.lastActivity = core.clock()
                    readBuffer.withUnsafeBufferPointer { buffer in
                        connection.state.receive(
                            UnsafeBufferPointer(rebasing: buffer[0..<count]), core: core, source: connection.source,
                            output: &connection.output)
                    }
                    if count < readBuffer.count || connection.state.closing { break }
                } else if count == 0 {
                    // The client is done sending (it may have shut down only its side): answer, then close.
                    endOfInput = true
                    break
                } else if errno == EINTR {
                    continue
                } else {
                    if errno != EAGAIN && errno != EWOULDBLOCK { failed = true }
                    break
                }
            }
        }
        if connection.written < connection.output.count {
            let sent = connection.output.withUnsafeBytes { raw in
                send(
                    descriptor, raw.baseAddress! + connection.written, raw.count - connection.written,
                    Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                connection.written += sent
            } else if sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
                failed = true
            }
            if connection.written == connection.output.count {
                connection.output.removeAll(keepingCapacity: true)
                connection.written = 0
            }
        }
        let pendingOutput = connection.written < connection.output.count
        if failed || ((connection.state.closing || endOfInput) && !pendingOutput) {
            connections[descriptor] = nil
            Glibc.close(descriptor)
            return
        }
        // Still open: wait for more of the request, for room to write, or for the next keep-alive request.
        let wanted = pendingOutput ? EPOLLOUT.rawValue : EPOLLIN.rawValue
        if connection.watching != wanted {
            watch(descriptor, wanted, add: connection.watching == 0)
            connection.watching = wanted
        }
        connections[descriptor] = connection
    }

    private func closeIdle(now: Double) {
        let timeout = core.configuration.httpIdleTimeout
        let idle = connections.filter { now - $0.value.lastActivity >= timeout }.map(\.key)
        for descriptor in idle {
            connections[descriptor] = nil
            Glibc.close(descriptor)
        }
    }

    private func watch(_ descriptor: Int32, _ events: UInt32, add: Bool, remove: Bool = false) {
        var event = epoll_event()
        event.events = events
        event.data.fd = descriptor
        let operation = remove ? EPOLL_CTL_DEL : add ? EPOLL_CTL_ADD : EPOLL_CTL_MOD
        _ = epoll_ctl(epoll, operation, descriptor, &event)
    }
}
