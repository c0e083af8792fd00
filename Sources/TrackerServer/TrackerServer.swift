import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// The tracker's sockets: HTTP (TCP) and UDP on one port number, one TCP and one UDP socket per event
/// loop (SO_REUSEPORT), so each loop accepts and answers its own connections: handing an accepted
/// connection to another thread costs a wake-up per announce, more than the announce itself.
public final class TrackerServer: Sendable {
    public let host: String
    public let port: Int
    private let channels: [any Channel]

    private init(host: String, port: Int, channels: [any Channel]) {
        self.host = host
        self.port = port
        self.channels = channels
    }

    /// Binds TCP and UDP on `port` (0: a free port number, the same for both) on every loop of `group`.
    public static func start(
        core: TrackerCore, host: String, port: Int, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> TrackerServer {
        var lastError: (any Error)?
        // With port 0 the kernel picks a TCP port whose UDP twin may be taken: try a few.
        for _ in 0..<(port == 0 ? 20 : 1) {
            do {
                return try await bindAll(core: core, host: host, port: port, group: group)
            } catch {
                lastError = error
            }
        }
        throw lastError!
    }

    public func close() async {
        for channel in channels { try? await channel.close() }
    }

    private static func bindAll(
        core: TrackerCore, host: String, port: Int, group: any EventLoopGroup
    ) async throws -> TrackerServer {
        // SO_REUSEPORT would let a second tracker of the same user share the port silently: a plain bind
        // first proves nobody holds it (TCP and UDP), then the shared sockets take it.
        let probe = try await bindTCP(core: core, host: host, port: port, loop: group.next(), shared: false)
        let chosen = probe.localAddress?.port ?? port
        do {
            let udpProbe = try await bindUDP(core: core, host: host, port: chosen, loop: group.next(), shared: false)
            try await udpProbe.close()
        } catch {
            try? await probe.close()
            throw error
        }
        try await probe.close()
        var channels: [any Channel] = []
        do {
            for loop in group.makeIterator() {
                channels.append(try await bindTCP(core: core, host: host, port: chosen, loop: loop, shared: true))
                channels.append(try await bindUDP(core: core, host: host, port: chosen, loop: loop, shared: true))
            }
        } catch {
            for channel in channels { try? await channel.close() }
            throw error
        }
        return TrackerServer(host: host, port: chosen, channels: channels)
    }

    private static let reusePort = ChannelOptions.socketOption(NIOBSDSocket.Option(rawValue: SO_REUSEPORT))
    /// Accept a connection only once its request has arrived: one wake-up per announce instead of two.
    private static let deferAccept = ChannelOptions.Types.SocketOption(
        level: .tcp, name: NIOBSDSocket.Option(rawValue: TCP_DEFER_ACCEPT))

    private static func bindTCP(
        core: TrackerCore, host: String, port: Int, loop: any EventLoop, shared: Bool
    ) async throws -> any Channel {
        let sweeper = try await loop.submit {
            let sweeper = IdleSweeper()
            sweeper.start(on: loop)
            return NIOLoopBound(sweeper, eventLoop: loop)
        }.get()
        let bootstrap = ServerBootstrap(group: loop, childGroup: loop)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(reusePort, value: shared ? 1 : 0)
            .serverChannelOption(.maxMessagesPerRead, value: 16)
            .serverChannelOption(deferAccept, value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        TrackerHTTPConnection(core: core, sweeper: sweeper.value))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.bind(host: host, port: port).get()
        } catch {
            loop.execute { sweeper.value.stop() }
            throw error
        }
        // The sweeper stops with the listening socket.
        channel.closeFuture.whenComplete { _ in sweeper.value.stop() }
        return channel
    }

    private static func bindUDP(
        core: TrackerCore, host: String, port: Int, loop: any EventLoop, shared: Bool
    ) async throws -> any Channel {
        try await DatagramBootstrap(group: loop)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(reusePort, value: shared ? 1 : 0)
            .channelOption(.maxMessagesPerRead, value: 16)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(TrackerUDPHandler(core: core))
                }
            }
            .bind(host: host, port: port).get()
    }
}
