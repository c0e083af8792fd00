import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// The tracker's sockets: HTTP (TCP) and UDP on one port number, one of each per core (SO_REUSEPORT).
/// HTTP runs on `HTTPWorker` threads (plain system calls: clients open a connection per announce, and a
/// general-purpose channel per connection cost more than the announce); UDP on SwiftNIO's loops.
public final class TrackerServer: Sendable {
    public let host: String
    public let port: Int
    private let workers: [HTTPWorker]
    private let udpChannels: [any Channel]

    private init(host: String, port: Int, workers: [HTTPWorker], udpChannels: [any Channel]) {
        self.host = host
        self.port = port
        self.workers = workers
        self.udpChannels = udpChannels
    }

    /// Binds TCP and UDP on `port` (0: a free port number, the same for both): `threads` HTTP workers
    /// (default one per core) and a UDP socket per loop of `group`.
    public static func start(
        core: TrackerCore, host: String, port: Int, threads: Int? = nil,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> TrackerServer {
        var lastError: (any Error)?
        // With port 0 the kernel picks a TCP port whose UDP twin may be taken: try a few.
        for _ in 0..<(port == 0 ? 20 : 1) {
            do {
                return try await bindAll(
                    core: core, host: host, port: port, threads: threads ?? System.coreCount, group: group)
            } catch {
                lastError = error
            }
        }
        throw lastError!
    }

    public func close() async {
        for worker in workers { await worker.stop() }
        for channel in udpChannels { try? await channel.close() }
    }

    private static func bindAll(
        core: TrackerCore, host: String, port: Int, threads: Int, group: any EventLoopGroup
    ) async throws -> TrackerServer {
        // SO_REUSEPORT would let a second tracker of the same user share the port silently: plain binds
        // first prove nobody holds it (TCP and UDP), then the shared sockets take it.
        let probe = try TCPListenerSocket(host: host, port: port, shared: false)
        let chosen = probe.port
        do {
            let udpProbe = try await bindUDP(core: core, host: host, port: chosen, loop: group.next(), shared: false)
            try await udpProbe.close()
        } catch {
            probe.close()
            throw error
        }
        probe.close()
        var listeners: [TCPListenerSocket] = []
        var udpChannels: [any Channel] = []
        do {
            for _ in 0..<max(1, threads) {
                listeners.append(try TCPListenerSocket(host: host, port: chosen, shared: true))
            }
            for loop in group.makeIterator() {
                udpChannels.append(try await bindUDP(core: core, host: host, port: chosen, loop: loop, shared: true))
            }
        } catch {
            for listener in listeners { listener.close() }
            for channel in udpChannels { try? await channel.close() }
            throw error
        }
        var workers: [HTTPWorker] = []
        for (index, listener) in listeners.enumerated() {
            do {
                let worker = try HTTPWorker(core: core, listener: listener)
                worker.start(name: "shoal-tracker-http-\(index)")
                workers.append(worker)
            } catch {
                for worker in workers { await worker.stop() }
                for listener in listeners[index...] { listener.close() }
                for channel in udpChannels { try? await channel.close() }
                throw error
            }
        }
        return TrackerServer(host: host, port: chosen, workers: workers, udpChannels: udpChannels)
    }

    private static let reusePort = ChannelOptions.socketOption(NIOBSDSocket.Option(rawValue: SO_REUSEPORT))

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
