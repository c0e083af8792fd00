import NIOCore
import NIOPosix

/// The tracker's sockets: HTTP (TCP) and UDP on one port number. Announces are answered on the event
/// loops themselves; the work per request is a parse, a shard lock and a few hundred bytes of output.
public final class TrackerServer: Sendable {
    public let host: String
    public let port: Int
    private let tcp: any Channel
    private let udp: any Channel

    private init(host: String, port: Int, tcp: any Channel, udp: any Channel) {
        self.host = host
        self.port = port
        self.tcp = tcp
        self.udp = udp
    }

    /// Binds TCP and UDP on `port` (0: a free port number, the same for both).
    public static func start(
        core: TrackerCore, host: String, port: Int, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> TrackerServer {
        var lastError: (any Error)?
        // With port 0 the kernel picks a TCP port whose UDP twin may be taken: try a few.
        for _ in 0..<(port == 0 ? 20 : 1) {
            let tcp = try await bindTCP(core: core, host: host, port: port, group: group)
            let chosen = tcp.localAddress?.port ?? port
            do {
                let udp = try await bindUDP(core: core, host: host, port: chosen, group: group)
                return TrackerServer(host: host, port: chosen, tcp: tcp, udp: udp)
            } catch {
                lastError = error
                try? await tcp.close()
            }
        }
        throw lastError!
    }

    public func close() async {
        try? await tcp.close()
        try? await udp.close()
    }

    private static func bindTCP(
        core: TrackerCore, host: String, port: Int, group: any EventLoopGroup
    ) async throws -> any Channel {
        // Accepting and serving on the same loop: handing each accepted connection to another thread costs
        // a wake-up per announce, more than the announce itself.
        let loop = group.next()
        return try await ServerBootstrap(group: loop, childGroup: loop)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(TrackerHTTPConnection(core: core))
                }
            }
            .bind(host: host, port: port).get()
    }

    private static func bindUDP(
        core: TrackerCore, host: String, port: Int, group: any EventLoopGroup
    ) async throws -> any Channel {
        try await DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(TrackerUDPHandler(core: core))
                }
            }
            .bind(host: host, port: port).get()
    }
}
