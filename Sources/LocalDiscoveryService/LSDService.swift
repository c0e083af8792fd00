import LocalDiscovery
import Logging
import NIOCore
import NIOPosix
import TorrentModel

/// Local Service Discovery (BEP 14) on a UDP socket in the multicast group: it announces our torrents on
/// the LAN and reports peers that announce the same torrents. The decisions are the pure module's
/// (`LSDState`: schedule, cookie, report limiter; `LSDAnnouncement`: the codec); this actor only feeds them
/// packets and the clock, and sends what they return.
///
/// Use: `bind(settings:)`, then `run()` in a task you own (it returns after `stop()` or when cancelled);
/// `announce`/`withdraw` torrents while it runs, and read `discoveries` in a task of your own. The socket
/// handler stays on its event loop and only queues datagrams (bounded); everything else happens here.
public actor LSDService {
    public nonisolated let settings: LSDServiceSettings
    /// The cookie in our packets, by which we recognise our own.
    public nonisolated let cookie: String
    /// Peers found for torrents we announce: the announcement's source address with the port it announced,
    /// at most once per infohash per source a minute. One reader; it finishes when `run()` returns.
    public nonisolated let discoveries: AsyncStream<LSDDiscovery>

    let channel: any Channel
    let membership: MulticastMembership
    let logger: Logger
    private let inbound: AsyncStream<LSDDatagram>
    private let inboundSink: AsyncStream<LSDDatagram>.Continuation
    let discoverySink: AsyncStream<LSDDiscovery>.Continuation
    private let epoch = ContinuousClock.now

    var state: LSDState
    var counters = LSDHealth()
    var isStopped = false

    /// Opens the UDP socket on the group's address and port (`SO_REUSEADDR`, so several clients on one host
    /// share it), joins the group on the configured interface and sends from it.
    public static func bind(
        settings: LSDServiceSettings = LSDServiceSettings(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "shoal.lsd")
    ) async throws(LSDServiceError) -> LSDService {
        let membership = try MulticastMembership(settings: settings)
        let (stream, sink) = AsyncStream.makeStream(
            of: LSDDatagram.self, bufferingPolicy: .bufferingNewest(max(1, settings.inboundQueueDepth)))
        let channel: any Channel
        do {
            channel = try await DatagramBootstrap(group: group)
                .channelOption(.socketOption(.so_reuseaddr), value: 1)
                // One byte over the limit: a longer packet arrives cut, and the decoder refuses it as too long.
                .channelOption(
                    .recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: LSDLimits.maximumPacketSize + 1)
                )
                .channelOption(.maxMessagesPerRead, value: 16)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(LSDDatagramHandler(sink: sink))
                    }
                }
                .bind(host: settings.group, port: settings.port).get()
        } catch {
            throw .cannotBind(host: settings.group, port: settings.port, reason: String(describing: error))
        }
        do {
            try await membership.apply(to: channel, loop: settings.multicastLoop, timeToLive: settings.timeToLive)
        } catch {
            try? await channel.close()
            throw error
        }
        return LSDService(
            channel: channel, membership: membership, settings: settings, inbound: stream, inboundSink: sink,
            logger: logger)
    }

    private init(
        channel: any Channel, membership: MulticastMembership, settings: LSDServiceSettings,
        inbound: AsyncStream<LSDDatagram>, inboundSink: AsyncStream<LSDDatagram>.Continuation, logger: Logger
    ) {
        self.channel = channel
        self.membership = membership
        self.settings = settings
        self.inbound = inbound
        self.inboundSink = inboundSink
        self.logger = logger
        (discoveries, discoverySink) = AsyncStream.makeStream(
            of: LSDDiscovery.self, bufferingPolicy: .bufferingNewest(max(1, settings.discoveryQueueDepth)))
        var generator = SystemRandomNumberGenerator()
        state = LSDState(settings: settings.state, now: 0, using: &generator)
        cookie = state.cookie
    }

    /// Seconds since the service was created, on the monotonic clock: the time the pure state is given.
    var now: Double {
        let elapsed = ContinuousClock.now - epoch
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    /// Sends our announcements on schedule and sorts out received ones until `stop()` or cancellation; then
    /// `discoveries` finishes and the socket closes.
    public func run() async {
        logger.info(
            "LSD on \(membership.host) via interface \(membership.interfaceDescription), cookie \(cookie)")
        await withDiscardingTaskGroup { group in
            group.addTask { await self.announceOnSchedule() }
            // Ends when the stream is finished (`stop()`, the socket closing) or this task is cancelled.
            for await datagram in inbound { receive(datagram) }
            isStopped = true
            group.cancelAll()
        }
        discoverySink.finish()
        try? await channel.close()
        logger.info("LSD on \(membership.host) stopped")
    }

    /// Makes `run()` finish.
    public nonisolated func stop() {
        inboundSink.finish()
    }

    /// Starts announcing `infoHash` with our BitTorrent listen port, at once and then every announce
    /// interval, and reporting peers announcing it. Announcing it again with another port switches ports;
    /// port 0 is ignored.
    public func announce(_ infoHash: InfoHash, port: UInt16) {
        state.announce(infoHash, port: port, now: now)
    }

    /// Stops announcing `infoHash` and reporting peers for it.
    public func withdraw(_ infoHash: InfoHash) {
        state.withdraw(infoHash)
    }

    /// Figures about the traffic so far.
    public var health: LSDHealth {
        var health = counters
        health.announcedTorrents = state.torrents.count
        health.trackedReports = state.reportLimiter.trackedReports
        return health
    }
}
