import NIOCore
import NIOPosix
import Synchronization

/// Listeners on 127.0.0.1 that accept connections and never answer: a dial to one stays in flight.
final class BlackHoles: Sendable {
    let ports: [Int]
    private let servers: [any Channel]
    private let counter: AcceptCounter

    private init(ports: [Int], servers: [any Channel], counter: AcceptCounter) {
        self.ports = ports
        self.servers = servers
        self.counter = counter
    }

    /// `count` listeners; with `source`, only connections from that address count (other tests in the process may
    /// dial a port one of them reuses).
    static func start(count: Int, countingFrom source: String? = nil) async throws -> BlackHoles {
        let counter = AcceptCounter()
        var servers: [any Channel] = []
        for _ in 0..<count {
            let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .childChannelInitializer { channel in
                    guard source == nil || channel.remoteAddress?.ipAddress == source else {
                        return channel.eventLoop.makeSucceededVoidFuture()
                    }
                    counter.accepted.add(1, ordering: .relaxed)
                    let open = counter.open.add(1, ordering: .relaxed).newValue
                    counter.mostOpen.max(open, ordering: .relaxed)
                    channel.closeFuture.whenComplete { _ in counter.open.subtract(1, ordering: .relaxed) }
                    return channel.eventLoop.makeSucceededVoidFuture()
                }
                .bind(host: "127.0.0.1", port: 0).get()
            servers.append(server)
        }
        return BlackHoles(ports: servers.map { $0.localAddress!.port! }, servers: servers, counter: counter)
    }

    /// Connections accepted so far, over all listeners.
    var accepted: Int { counter.accepted.load(ordering: .relaxed) }
    /// Connections open now, over all listeners.
    var open: Int { counter.open.load(ordering: .relaxed) }
    /// The most connections open at once, over all listeners.
    var mostOpen: Int { counter.mostOpen.load(ordering: .relaxed) }

    func close() async {
        for server in servers { try? await server.close() }
    }
}

private final class AcceptCounter: Sendable {
    let accepted = Atomic<Int>(0)
    let open = Atomic<Int>(0)
    let mostOpen = Atomic<Int>(0)
}
