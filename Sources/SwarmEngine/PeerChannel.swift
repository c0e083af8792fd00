import Glibc
import NIOCore
import NIOPosix
import PeerWire

/// A peer connection's channel as the engine sees it: the frames of each read in, frames out.
public typealias PeerChannel = NIOAsyncChannel<[PeerWireFrame], PeerWireFrame>

extension NIOAsyncChannel where Inbound == [PeerWireFrame], Outbound == PeerWireFrame {
    /// Closes a connection nobody will run. A wrapped channel must end through `executeThenClose`: one dropped
    /// with its writer open stops the process (NIO's precondition).
    func discard() async {
        try? await executeThenClose { _, _ in }
    }
}

/// Sets up the peer wire pipeline on fresh channels, for both directions.
enum PeerChannelFactory {
    /// Socket reads grow up to 256 KiB while data streams in (NIO's default stops at 64 KiB): fewer reads and
    /// fewer blocks split across two of them, whose bytes are the only ones the frame reader copies.
    static let receiveAllocator = AdaptiveRecvByteBufferAllocator(
        minimum: 1024, initial: 16 * 1024, maximum: 256 * 1024)

    /// `wrap`, on the channel's loop: a dialed channel's initializer.
    static func configure(_ channel: any Channel) -> EventLoopFuture<PeerChannel> {
        channel.eventLoop.makeCompletedFuture { try wrap(channel) }
    }

    /// Adds the frame decoder and encoder and wraps the channel for async use. Runs on the channel's loop.
    private static func wrap(_ channel: any Channel) throws -> PeerChannel {
        try channel.pipeline.syncOperations.addHandler(PeerWireFrameReader())
        try channel.pipeline.syncOperations.addHandler(PeerWireEncoder())
        return try PeerChannel(wrappingChannelSynchronously: channel)
    }

    /// Dials from `local` when given, unless the peer's address is of the other family (a socket bound to an IPv4
    /// address cannot reach an IPv6 one).
    static func dial(
        host: String, port: Int, from local: SocketAddress?, group: any EventLoopGroup, timeout: Duration
    ) async throws -> PeerChannel {
        var bootstrap = ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelOption(.recvAllocator, value: receiveAllocator)
            .connectTimeout(.nanoseconds(timeout.components.seconds * 1_000_000_000))
        // A host name (not an address) is dialed bound too: its address of our family is the one that works.
        let peerFamily = (try? SocketAddress(ipAddress: host, port: port))?.protocol
        if let local, peerFamily == nil || peerFamily == local.protocol {
            // The port is chosen at connect, per destination, so bound dials share the ephemeral ports as unbound
            // ones do (a port chosen at bind could serve one connection only).
            bootstrap = bootstrap.bind(to: local).channelOption(
                .ipOption(.init(rawValue: IP_BIND_ADDRESS_NO_PORT)), value: 1)
        }
        return try await bootstrap.connect(host: host, port: port) { channel in configure(channel) }
    }

    /// A listener whose children wait in `accepted` until the accept loop takes them.
    static func listen(
        host: String, port: Int, group: any EventLoopGroup, accepted: AcceptedChannels
    ) async throws -> NIOAsyncChannel<PeerChannel, Never> {
        try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.recvAllocator, value: receiveAllocator)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try accepted.admit(channel, wrap: wrap) }
            }
    }
}
