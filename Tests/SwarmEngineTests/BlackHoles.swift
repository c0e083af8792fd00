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

    static func start(count: Int) async throws -> BlackHoles {
        let counter = AcceptCounter()
        var servers: [any Channel] = []
        for _ in 0..<count {
            let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .childChannelInitializer { channel in
                    counter.accepted.add(1, ordering: .relaxed)
                    return channel.eventLoop.makeSucceededVoidFuture()
                }
                .bind(host: "127.0.0.1", port: 0).get()
            servers.append(server)
        }
        return BlackHoles(ports: servers.map { $0.localAddress!.port! }, servers: servers, counter: counter)
    }

    /// Connections accepted so far, over all listeners.
    var accepted: Int { counter.accepted.load(ordering: .relaxed) }

    func close() async {
        for server in servers { try? await server.close() }
    }
}

private final class AcceptCounter: Sendable {
    let accepted = Atomic<Int>(0)
}
