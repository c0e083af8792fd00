import DHT
import Logging
import NIOCore
import NIOPosix
import Synchronization
import TorrentModel

/// A Mainline DHT node (BEP 5) on a UDP socket: it answers queries, keeps its routing table alive, and
/// runs lookups for `getPeers` and `announce`. The decisions are the pure module's (`QueryResponder`,
/// `RoutingTable`, `Lookup`, `TransactionTable`); this actor only feeds them packets and the clock, and
/// sends what they return.
///
/// Use: `bind(...)`, then `run()` in a task you own (it returns after `stop()` or when cancelled); call
/// `getPeers` and `announce` while it runs. The socket handler stays on its event loop and only queues
/// datagrams (bounded); everything else happens on this actor.
public actor DHTNode {
    public nonisolated let id: NodeID
    /// The UDP port the node listens on.
    public nonisolated let port: Int
    public nonisolated let settings: DHTNodeSettings

    let channel: any Channel
    let family: DHTEndpoint.Family
    let logger: Logger
    private let inbound: AsyncStream<DHTDatagram>
    private let inboundSink: AsyncStream<DHTDatagram>.Continuation
    private let epoch = ContinuousClock.now

    var table: RoutingTable
    var responder: QueryResponder
    var pending: TransactionTable<QueryPurpose>
    var lookups: [Int: LookupRun] = [:]
    var announces: [Int: AnnounceRun] = [:]
    var nextRun = 0
    var bootstrapEndpoints: [DHTEndpoint] = []
    var generator = SystemRandomNumberGenerator()
    var counters = DHTHealth()
    var isStopped = false
    var lastTokenRotation: Double = 0
    var lastPeerStoreExpiry: Double = 0
    var lastMaintenance: Double = 0
    var lastBootstrap = -Double.infinity
    /// Lookups and announces whose caller was cancelled (`cancel(run:)`), for `endCancelledRuns` to end; the tick
    /// ends any it missed.
    nonisolated let cancelledRuns = Mutex<Set<Int>>([])
    /// When each endpoint last answered one of our queries (`rememberAnswer`), at most
    /// `maximumRememberedAnswers`.
    var answeredFrom: [DHTEndpoint: Double] = [:]
    static let maximumRememberedAnswers = 4_096

    /// Opens the UDP socket on `host` (`0.0.0.0`, `::` or one address; port 0 picks a free one). Bootstrap
    /// nodes given as addresses are ready at once; `run()` resolves those given by name. The ID is `settings.nodeID`, else the snapshot's, else random; the snapshot's
    /// nodes enter the table unconfirmed and are pinged once the node runs.
    public static func bind(
        host: String = "0.0.0.0", port: Int = 0, settings: DHTNodeSettings = DHTNodeSettings(),
        snapshot: RoutingTable.Snapshot? = nil, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "shoal.dht")
    ) async throws(DHTNodeError) -> DHTNode {
        let (stream, sink) = AsyncStream.makeStream(
            of: DHTDatagram.self, bufferingPolicy: .bufferingNewest(max(1, settings.inboundQueueDepth)))
        let channel: any Channel
        do {
            channel = try await DatagramBootstrap(group: group)
                .channelOption(.socketOption(.so_reuseaddr), value: 1)
                // One byte over the KRPC limit: a longer packet arrives cut, is seen as too long, and dropped.
                .channelOption(
                    .recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: DHTLimits.maximumPacketSize + 1)
                )
                .channelOption(.maxMessagesPerRead, value: 16)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(DHTDatagramHandler(sink: sink))
                    }
                }
                .bind(host: host, port: port).get()
        } catch {
            throw .cannotBind(host: host, port: port, reason: String(describing: error))
        }
        var generator = SystemRandomNumberGenerator()
        let id = settings.nodeID ?? snapshot.flatMap { NodeID(bytes: $0.ownID) } ?? NodeID.random(using: &generator)
        let node = DHTNode(
            id: id, channel: channel, settings: settings, inbound: stream, inboundSink: sink, logger: logger)
        if let snapshot { await node.restore(snapshot) }
        await node.resolveBootstrapNodes(names: false)
        return node
    }

    private init(
        id: NodeID, channel: any Channel, settings: DHTNodeSettings, inbound: AsyncStream<DHTDatagram>,
        inboundSink: AsyncStream<DHTDatagram>.Continuation, logger: Logger
    ) {
        self.id = id
        self.channel = channel
        self.port = channel.localAddress?.port ?? 0
        self.settings = settings
        self.family = channel.localAddress?.protocol == .inet6 ? .ipv6 : .ipv4
        self.inbound = inbound
        self.inboundSink = inboundSink
        self.logger = logger
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<20).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        table = RoutingTable(ownID: id, settings: settings.routingTable, now: 0)
        responder = QueryResponder(
            ownID: id, tokens: TokenIssuer(secret: secret), peerStore: PeerStore(settings: settings.peerStore),
            rateLimiter: DHTRateLimiter(settings: settings.rateLimiter, now: 0), version: settings.version)
        pending = TransactionTable(settings: settings.transactions)
    }

    /// Seconds since the node was created, on the monotonic clock: the time every pure part is given.
    var now: Double {
        let elapsed = ContinuousClock.now - epoch
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    /// Answers queries, matches answers, and keeps the table alive until `stop()` or cancellation. Then
    /// every waiting `getPeers`/`announce` returns what it has, and the socket closes.
    public func run() async {
        logger.info("DHT node \(id) on UDP port \(port), \(settings.bootstrapNodes.count) bootstrap nodes")
        await withDiscardingTaskGroup { group in
            group.addTask { await self.maintain() }
            group.addTask {
                // Names are resolved here, not in `bind`: a resolver that does not answer must not hold up
                // the caller's start (the public routers' names on a machine without internet).
                if await self.bootstrapEndpoints.count < self.settings.bootstrapNodes.count {
                    await self.resolveBootstrapNodes(names: true)
                }
                await self.bootstrap()
            }
            for await datagram in inbound { receive(datagram) }
            finishEverything()
            group.cancelAll()
        }
        try? await channel.close()
        logger.info("DHT node \(id) stopped")
    }

    /// Makes `run()` finish.
    public nonisolated func stop() {
        inboundSink.finish()
    }

    /// Figures about the table, the store and the traffic so far.
    public var health: DHTHealth {
        let now = self.now
        var health = counters
        let states = table.stateCounts(now: now)
        health.goodNodes = states[.good] ?? 0
        health.questionableNodes = states[.questionable] ?? 0
        health.badNodes = states[.bad] ?? 0
        health.replacementNodes = table.replacementCount
        health.buckets = table.bucketCount
        health.storedPeers = responder.peerStore.peerCount
        health.storedInfoHashes = responder.peerStore.infoHashCount
        health.pendingQueries = pending.count
        health.runningLookups = lookups.count
        health.rateLimitedAddresses = responder.rateLimiter.trackedAddresses
        return health
    }

    /// Nodes in the routing table's buckets.
    public var routingTableSize: Int { table.count }

    /// Our ID and the nodes that answered us, as plain data to persist (`StateStore.saveDHTSnapshot`).
    public func snapshot() -> RoutingTable.Snapshot {
        table.snapshot(now: now)
    }

    /// Adds a snapshot's nodes, unconfirmed (they are pinged by maintenance). The ID stays ours: pass the
    /// snapshot to `bind` to keep its ID. Returns how many nodes were added.
    @discardableResult
    public func restore(_ snapshot: RoutingTable.Snapshot) -> Int {
        table.restore(snapshot, now: now)
    }

    /// Resumes every waiter and refuses new work: the node is stopping.
    private func finishEverything() {
        isStopped = true
        _ = pending.removeAll()
        for (_, run) in lookups { run.waiter?.resume(returning: run.lookup.result) }
        lookups = [:]
        for (_, run) in announces { run.waiter.resume(returning: run.acknowledged) }
        announces = [:]
    }
}
