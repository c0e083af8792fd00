import DHT
import DHTNode
import Foundation
import LocalDiscovery
import LocalDiscoveryService
import Logging
import NIOPosix
import PeerWire
import PieceStorage
import StateStore
import StreamingEngine
import Swarm
import SwarmEngine
import TorrentModel
import TrackerClient

/// A long-running Shoal node: the torrents of a library in SQLite, their swarms in one engine, and the
/// bookkeeping that lets it stop (or crash) and come back without losing or corrupting a byte.
///
/// `start()` binds the peer port and brings back every torrent that is not paused; `run()` runs the swarms,
/// tracker announces and the flush loop until `stop()`, then makes everything durable. Verified pieces are
/// recorded in the library only after their data was fsynced (`flushAll`, every `NodeSettings.flushInterval`
/// and when a torrent is paused, removed or the node stops).
public actor Node {
    public nonisolated let directory: DataDirectory
    public nonisolated let settings: NodeSettings
    nonisolated let library: StateStore
    nonisolated let engine: SwarmEngine
    nonisolated let logger: Logger
    private nonisolated let pool: StorageThreadPool
    private nonisolated let peerID: PeerID
    private var active: [InfoHash: ActiveTorrent] = [:]
    /// Session byte counts already added to the library's transfer totals.
    private var countedTransfers: [InfoHash: (uploaded: Int64, downloaded: Int64)] = [:]
    /// Torrents whose data is being checked before they join the swarm.
    private var checking: Set<InfoHash> = []
    /// Magnet links whose metadata is being fetched.
    private var fetching: Set<InfoHash> = []
    /// Torrents found at start, waiting for `run()` to bring them back.
    private var toRestore: [TorrentRecord] = []
    private var restoring: Set<InfoHash> = []
    private var stopping = false
    public private(set) var peerPort = 0
    /// The Mainline DHT node, from `start()` on (nil with `dhtEnabled` off).
    public private(set) var dht: DHTNode?
    /// Local Service Discovery, from `start()` on (nil when off or when it could not start).
    public private(set) var lsd: LSDService?
    private nonisolated let startedAt = ContinuousClock.now
    private nonisolated let work: AsyncStream<Work>
    private nonisolated let workSink: AsyncStream<Work>.Continuation
    private nonisolated let metadataRequests: AsyncStream<MagnetLink>
    private nonisolated let metadataRequestSink: AsyncStream<MagnetLink>.Continuation
    private nonisolated let stopRequests: AsyncStream<Void>
    private nonisolated let stopRequestSink: AsyncStream<Void>.Continuation
    private nonisolated let torrentFiles: TorrentFiles
    /// The running video torrents, for the streaming routes the node serves beside its API.
    public nonisolated let streams = StreamCatalog()

    /// Long-lived work that `run()` takes into its task group.
    private enum Work: Sendable {
        case announce(ActiveTorrent)
        case dhtAnnounce(ActiveTorrent, DHTAnnouncer)
        case watchCompletion(ActiveTorrent)
        case stream(StreamingTorrent)
    }

    /// Opens (or creates) the library in `directory`. A damaged database is an error naming the file and
    /// the way out, never a silent fresh start.
    public init(directory: DataDirectory, settings: NodeSettings = NodeSettings(), logger: Logger) throws(NodeError) {
        self.directory = directory
        self.settings = settings
        self.logger = logger
        do {
            library = try StateStore(path: directory.databasePath)
        } catch {
            throw .state(error)
        }
        pool = StorageThreadPool()
        var generator = SystemRandomNumberGenerator()
        peerID = PeerID.generate(using: &generator)
        engine = SwarmEngine(
            peerID: peerID,
            settings: EngineSettings(
                maximumUploadRate: settings.maximumUploadRate, maximumDownloadRate: settings.maximumDownloadRate,
                outgoingAddress: EngineSettings.outgoingAddress(forListenHost: settings.peerHost)),
            logger: logger)
        (work, workSink) = AsyncStream.makeStream(of: Work.self)
        (stopRequests, stopRequestSink) = AsyncStream.makeStream(of: Void.self)
        (metadataRequests, metadataRequestSink) = AsyncStream.makeStream(of: MagnetLink.self)
        torrentFiles = TorrentFiles(directory: directory)
    }

    // MARK: - Life cycle

    /// Binds the peer port, then brings back every torrent of the library that is not paused. A torrent
    /// that cannot be brought back (its folder is gone and cannot be made, say) is logged and left stopped.
    public func start() async throws(NodeError) {
        do {
            peerPort = try await engine.bind(host: settings.peerHost, port: settings.peerPort)
        } catch {
            throw .cannotListen(host: settings.peerHost, port: settings.peerPort, reason: "\(error)")
        }
        if settings.dhtEnabled { dht = try await bindDHT() }
        if settings.lsdEnabled { lsd = await bindLSD() }
        let records: [TorrentRecord]
        do { records = try library.allTorrents() } catch { throw .state(error) }
        // Brought back by `run()`, one after another while the engine already serves the ones done: a library
        // of a thousand torrents must not keep the first one from serving.
        toRestore = records.filter { $0.state != .paused }
        restoring = Set(toRestore.map(\.infoHash))
    }

    /// Brings back the torrents `start()` found, in library order, unless paused or removed meanwhile.
    private func restoreAll() async {
        let records = toRestore
        toRestore = []
        for record in records {
            defer { restoring.remove(record.infoHash) }
            guard !stopping, let current = try? library.torrent(infoHash: record.infoHash), current.state != .paused
            else { continue }
            if current.metainfo == nil {
                startFetchingMetadata(current)
                continue
            }
            do throws(NodeError) {
                try await activate(current)
            } catch {
                logger.error("cannot resume \(current.name) (\(current.infoHash.hex)): \(error)")
            }
        }
    }

    /// Runs the swarms, announces and the flush loop until `stop()`, then flushes and closes everything.
    public nonisolated func run() async {
        await withTaskGroup(of: Bool.self) { outer in
            // The swarms and announces; when this ends (after `stop()`), so does everything else.
            outer.addTask {
                await withDiscardingTaskGroup { group in
                    group.addTask { await self.engine.run() }
                    if let dht = await self.dht { group.addTask { await dht.run() } }
                    if let lsd = await self.lsd {
                        group.addTask { await lsd.run() }
                        group.addTask {
                            for await found in lsd.discoveries { await self.foundOnTheLAN(found) }
                        }
                    }
                    for await item in self.work {
                        switch item {
                        case .announce(let torrent): group.addTask { await self.announce(torrent) }
                        case .dhtAnnounce(let torrent, let announcer):
                            group.addTask {
                                await announcer.run(onPeers: { peers in
                                    await self.found(peers, for: torrent, source: .dht)
                                })
                            }
                        case .watchCompletion(let torrent): group.addTask { await self.watchCompletion(torrent) }
                        case .stream(let streamer): group.addTask { await streamer.run() }
                        }
                    }
                }
                return true
            }
            outer.addTask {
                await self.restoreAll()
                return false
            }
            outer.addTask {
                await self.flushPeriodically()
                return false
            }
            outer.addTask {
                await self.saveDHTPeriodically()
                return false
            }
            outer.addTask {
                await self.reconnectPeriodically()
                return false
            }
            // Magnet links' metadata; cancelled (given up) when the node stops.
            outer.addTask {
                await withDiscardingTaskGroup { group in
                    for await magnet in self.metadataRequests {
                        group.addTask { await self.fetchMetadata(magnet) }
                    }
                }
                return false
            }
            outer.addTask {
                for await _ in self.stopRequests {
                    await self.stop()
                    break
                }
                return false
            }
            while let swarmsEnded = await outer.next(), !swarmsEnded {}
            outer.cancelAll()
        }
        await finish()
    }

    /// Makes `run()` stop: trackers hear `stopped`, connections close, then everything is flushed.
    public func stop() {
        stopping = true
        for torrent in active.values {
            torrent.announcer?.stop()
            torrent.dhtAnnouncer?.stop()
            torrent.streamer?.stop()
        }
        engine.stop()
        dht?.stop()
        lsd?.stop()
        workSink.finish()
        stopRequestSink.finish()
        metadataRequestSink.finish()
    }

    /// `stop()` from any context (a signal handler's task, a service's graceful shutdown).
    public nonisolated func requestStop() {
        stopRequestSink.yield()
    }

    private func finish() async {
        for torrent in Array(active.values) { await flush(torrent) }
        for torrent in Array(active.values) {
            do { try await torrent.store.close() } catch { logger.error("closing \(torrent.metainfo.name): \(error)") }
        }
        active = [:]
        await saveDHT()
        pool.shutDown()
        do { try library.close() } catch { logger.error("\(error)") }
    }

    // MARK: - Library operations

    /// Adds a torrent from its `.torrent` bytes. Content goes to `savePath`, by default `downloads/`.
    @discardableResult
    public func add(
        metainfo bytes: [UInt8], savePath: String? = nil, paused: Bool = false
    ) async throws(NodeError)
        -> TorrentRecord
    {
        let metainfo: Metainfo
        do { metainfo = try Metainfo(bytes: bytes) } catch { throw .invalidTorrent(error.description) }
        let record = TorrentRecord(
            infoHash: metainfo.infoHash, metainfo: bytes, name: metainfo.name,
            savePath: savePath ?? directory.downloadsPath, state: paused ? .paused : .downloading, addedAt: Date(),
            filePriorities: [])
        try insert(record)
        // A copy beside the database, from which `shoal node --rebuild` can re-create the library.
        do {
            try torrentFiles.save(bytes, savePath: record.savePath, for: metainfo.infoHash)
        } catch {
            logger.warning("\(error)")
        }
        if !paused { try await activate(record) }
        return record
    }

    /// Adds a torrent from a magnet link: its metadata is fetched from the link's peers (`x.pe`), its
    /// trackers and known peers, retried every `metadataRetryInterval` until it comes; then it runs as any other.
    @discardableResult
    public func add(
        magnet link: String, savePath: String? = nil, paused: Bool = false
    ) throws(NodeError)
        -> TorrentRecord
    {
        let magnet: MagnetLink
        do { magnet = try MagnetLink(parsing: link) } catch { throw .invalidTorrent("\(error)") }
        let record = TorrentRecord(
            infoHash: magnet.infoHash, magnet: link, name: magnet.displayName ?? magnet.infoHash.hex,
            savePath: savePath ?? directory.downloadsPath, state: paused ? .paused : .downloading, addedAt: Date(),
            filePriorities: [])
        try insert(record)
        // The link's peers (`x.pe`) are known peers from now on: asked for the metadata, then dialed for data.
        if !magnet.peers.isEmpty {
            do {
                try library.rememberPeers(
                    magnet.peers, for: magnet.infoHash, seenAt: Date(), limit: settings.rememberedPeers)
            } catch {
                logger.warning("cannot remember the peers of \(link): \(error)")
            }
        }
        if !paused { startFetchingMetadata(record) }
        return record
    }

    /// Puts a new torrent into the library.
    private func insert(_ record: TorrentRecord) throws(NodeError) {
        do {
            try library.addTorrent(record)
        } catch .duplicateTorrent(let infoHash) {
            throw .alreadyAdded(infoHash)
        } catch {
            throw .state(error)
        }
    }

    /// Stops a torrent's swarm and keeps it stopped across restarts.
    public func pause(_ infoHash: InfoHash) async throws(NodeError) {
        _ = try record(infoHash)
        do { try library.setState(.paused, for: infoHash) } catch { throw .state(error) }
        await deactivate(infoHash)
    }

    /// Starts a paused torrent again (its data is re-checked only if its files changed meanwhile).
    public func resume(_ infoHash: InfoHash) async throws(NodeError) {
        var record = try record(infoHash)
        guard active[infoHash] == nil, !checking.contains(infoHash) else { return }
        record.state = .downloading
        do { try library.setState(.downloading, for: infoHash) } catch { throw .state(error) }
        if record.metainfo == nil {
            startFetchingMetadata(record)
        } else {
            try await activate(record)
        }
    }

    /// Takes a torrent out of the library; with `deleteData`, its files too.
    public func remove(_ infoHash: InfoHash, deleteData: Bool) async throws(NodeError) {
        let record = try record(infoHash)
        await deactivate(infoHash)
        do { try library.removeTorrent(infoHash: infoHash) } catch { throw .state(error) }
        countedTransfers[infoHash] = nil
        torrentFiles.delete(infoHash)
        guard deleteData, let bytes = record.metainfo, let metainfo = try? Metainfo(bytes: bytes) else { return }
        DataFiles.delete(of: metainfo, in: record.savePath, logger: logger)
    }

    /// Sets per-file priorities (0 = skip, 1...7, 4 normal), one per file of the torrent.
    public func setFilePriorities(_ infoHash: InfoHash, _ priorities: [Int]) async throws(NodeError) {
        let record = try record(infoHash)
        guard let bytes = record.metainfo, let metainfo = try? Metainfo(bytes: bytes) else {
            throw .invalidPriorities("the torrent's metadata is not known yet")
        }
        let levels = try Self.pieceLevels(priorities, for: metainfo)
        do { try library.setFilePriorities(priorities, for: infoHash) } catch { throw .state(error) }
        if let torrent = active[infoHash] { await torrent.session.setPiecePriorities(levels) }
    }

    /// Dials a peer for a torrent of the library and remembers it, so the next start dials it too.
    public func connect(_ peer: PeerAddress, for infoHash: InfoHash) throws(NodeError) {
        _ = try record(infoHash)
        do {
            try library.rememberPeers([peer], for: infoHash, seenAt: Date(), limit: settings.rememberedPeers)
        } catch {
            throw .state(error)
        }
        if active[infoHash] != nil { engine.connect(host: peer.host, port: Int(peer.port), infoHash: infoHash) }
    }

    /// The library's record of a torrent.
    public func record(_ infoHash: InfoHash) throws(NodeError) -> TorrentRecord {
        let record: TorrentRecord?
        do { record = try library.torrent(infoHash: infoHash) } catch { throw .state(error) }
        guard let record else { throw .unknownTorrent(infoHash) }
        return record
    }

    /// Every torrent of the library, in queue order.
    public func records() throws(NodeError) -> [TorrentRecord] {
        do { return try library.allTorrents() } catch { throw .state(error) }
    }

    /// What a status page shows of one torrent: running or not, with figures.
    public func status(of infoHash: InfoHash) async throws(NodeError) -> TorrentStatus {
        let record = try record(infoHash)
        let saved: TransferTotals
        do { saved = try library.totals(infoHash: infoHash) } catch { throw .state(error) }
        let metainfo = record.metainfo.flatMap { try? Metainfo(bytes: $0) }
        guard let torrent = active[infoHash] else {
            let have: Bitfield? = metainfo.flatMap { try? library.completion(infoHash: $0.infoHash) }
            return TorrentStatus(
                record: record, metainfo: metainfo,
                phase: checking.contains(infoHash) || restoring.contains(infoHash)
                    ? .checking : fetching.contains(infoHash) ? .fetchingMetadata : .stopped,
                have: have, uploaded: saved.uploaded, downloaded: saved.downloaded, peers: [])
        }
        let session = torrent.session
        let counted = countedTransfers[infoHash] ?? (0, 0)
        let uploaded = saved.uploaded + (await session.uploadedBytes - counted.uploaded)
        let downloaded = saved.downloaded + (await session.downloadedBytes - counted.downloaded)
        let phase: TorrentStatus.Phase = await session.isComplete ? .seeding : .downloading
        var status = TorrentStatus(
            record: record, metainfo: metainfo, phase: phase, have: await session.have, uploaded: uploaded,
            downloaded: downloaded, peers: await session.peerSummaries)
        if let dht, let announcer = torrent.dhtAnnouncer { status.dht = (await dht.health, announcer.status) }
        return status
    }

    /// Seconds since the node started.
    public nonisolated var uptime: Duration { ContinuousClock.now - startedAt }

    public var activeTorrentCount: Int { active.count }

    // MARK: - Running torrents

    /// Checks a torrent's data as far as needed and joins it to the swarm.
    private func activate(_ record: TorrentRecord) async throws(NodeError) {
        guard active[record.infoHash] == nil, !checking.contains(record.infoHash) else { return }
        guard let bytes = record.metainfo else { throw .invalidTorrent("the metadata of \(record.name) is not known") }
        let metainfo: Metainfo
        do { metainfo = try Metainfo(bytes: bytes) } catch { throw .invalidTorrent(error.description) }
        checking.insert(record.infoHash)
        defer { checking.remove(record.infoHash) }
        let completion: PersistentCompletionState
        do {
            completion = try PersistentCompletionState(
                store: library, infoHash: metainfo.infoHash, pieceCount: metainfo.pieceCount)
        } catch {
            throw .state(error)
        }
        let store = FileStorage(metainfo: metainfo, saveFolder: record.savePath, completion: completion, pool: pool)
        let check = DataFiles.check(store, restored: completion.wasRestored, verified: completion.verified)
        do {
            try await store.prepare()
            if check == .recheck {
                logger.info("checking the data of \(metainfo.name)")
                _ = try await store.recheck()
            }
        } catch {
            throw .storage(error)
        }
        // A torrent with nothing verified yet is recorded as such at once: otherwise the next start would find
        // no completion beside the files `prepare` just made and hash them all again.
        if !completion.wasRestored && completion.verified.isEmpty {
            do {
                try library.saveCompletion(infoHash: metainfo.infoHash, bitfield: completion.verified)
            } catch {
                logger.warning("cannot record the completion of \(metainfo.name): \(error)")
            }
        }
        let session = engine.addTorrent(metainfo, store: store)
        if !record.filePriorities.isEmpty, let levels = try? Self.pieceLevels(record.filePriorities, for: metainfo) {
            await session.setPiecePriorities(levels)
        }
        var dhtNodeCount: (@Sendable () async -> Int)?
        if let dht { dhtNodeCount = { await dht.routingTableSize } }
        let streamer =
            StreamingTorrent.isVideoTorrent(metainfo)
            ? StreamingTorrent(
                metainfo: metainfo, session: session, store: store, dhtNodeCount: dhtNodeCount, logger: logger) : nil
        let torrent = ActiveTorrent(
            metainfo: metainfo, store: store, completion: completion, session: session,
            announcer: makeAnnouncer(for: metainfo),
            dhtAnnouncer: metainfo.isPrivate
                ? nil
                : dht.map { DHTAnnouncer(node: $0, infoHash: metainfo.infoHash, port: UInt16(clamping: peerPort)) },
            streamer: streamer)
        active[metainfo.infoHash] = torrent
        countedTransfers[metainfo.infoHash] = (0, 0)
        // The first schedule before the first peer, so that the first requests are for the head.
        await streamer?.begin()
        if torrent.announcer != nil { workSink.yield(.announce(torrent)) }
        if let dhtAnnouncer = torrent.dhtAnnouncer { workSink.yield(.dhtAnnounce(torrent, dhtAnnouncer)) }
        if let lsd, !metainfo.isPrivate { await lsd.announce(metainfo.infoHash, port: UInt16(clamping: peerPort)) }
        workSink.yield(.watchCompletion(torrent))
        if let streamer {
            streams.add(streamer)
            workSink.yield(.stream(streamer))
        }
        let known = dialKnownPeers(of: metainfo.infoHash)
        logger.info("running \(metainfo.name) (\(metainfo.infoHash.hex)), \(known) known peers")
    }

    /// Takes a torrent out of the swarm: trackers hear `stopped`, its writer finishes, and what it verified is
    /// made durable and recorded.
    private func deactivate(_ infoHash: InfoHash) async {
        guard let torrent = active.removeValue(forKey: infoHash) else { return }
        torrent.announcer?.stop()
        torrent.dhtAnnouncer?.stop()
        await lsd?.withdraw(infoHash)
        streams.remove(infoHash)
        torrent.streamer?.stop()
        await engine.removeTorrent(infoHash)
        await flush(torrent)
        do { try await torrent.store.close() } catch { logger.error("closing \(torrent.metainfo.name): \(error)") }
    }

    private func makeAnnouncer(for metainfo: Metainfo) -> Announcer<ContinuousClock>? {
        makeAnnouncer(infoHash: metainfo.infoHash, name: metainfo.name, tiers: metainfo.trackerTiers)
    }

    private func makeAnnouncer(infoHash: InfoHash, name: String, tiers: [[String]]) -> Announcer<ContinuousClock>? {
        guard !tiers.joined().isEmpty else { return nil }
        var generator = SystemRandomNumberGenerator()
        var trackerSettings = TrackerClientSettings()
        // A tracker lists us at the address the announce came from: the one we listen on.
        trackerSettings.outgoingAddress = engine.settings.outgoingAddress
        let factory = TrackerFactory(
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton, settings: trackerSettings, logger: logger)
        let (list, rejected) = factory.makeTierList(tiers: tiers, shuffledWith: &generator)
        for (url, error) in rejected { logger.warning("\(name): tracker \(url) skipped: \(error)") }
        guard !list.elements.isEmpty else { return nil }
        return try? Announcer(
            infoHash: infoHash, peerID: peerID.bytes, port: UInt16(clamping: peerPort),
            key: UInt32.random(in: 0...UInt32.max, using: &generator), trackers: list, clock: ContinuousClock(),
            logger: logger)
    }

    private nonisolated func announce(_ torrent: ActiveTorrent) async {
        guard let announcer = torrent.announcer else { return }
        let session = torrent.session
        await announcer.run(
            progress: {
                AnnounceProgress(
                    uploaded: await session.uploadedBytes, downloaded: await session.downloadedBytes,
                    left: await session.bytesLeft)
            },
            onPeers: { peers in await self.found(peers.map(\.peerAddress), for: torrent, source: .tracker) })
    }

    /// Peers a tracker or the DHT named: dialed unless connected already, and remembered for the next start.
    private func found(_ peers: [PeerAddress], for torrent: ActiveTorrent, source: PeerSource) async {
        guard active[torrent.infoHash] === torrent else { return }
        for peer in peers where !(await torrent.session.isConnected(to: peer)) {
            guard !(peer.port == UInt16(clamping: peerPort) && Self.isLocal(peer.host)) else { continue }
            engine.connect(host: peer.host, port: Int(peer.port), infoHash: torrent.infoHash, source: source)
        }
        do {
            try library.rememberPeers(peers, for: torrent.infoHash, seenAt: Date(), limit: settings.rememberedPeers)
        } catch {
            logger.warning("cannot remember peers of \(torrent.metainfo.name): \(error)")
        }
    }

    private nonisolated func reconnectPeriodically() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: settings.reconnectInterval) } catch { return }
            await reconnectLonelyTorrents()
        }
    }

    /// Torrents still downloading without a single peer dial their remembered peers again and ask their trackers.
    private func reconnectLonelyTorrents() async {
        for torrent in Array(active.values) {
            let session = torrent.session
            guard await session.connectedPeerCount == 0, !(await session.isComplete) else { continue }
            torrent.announcer?.announceNow()
            let known = dialKnownPeers(of: torrent.infoHash)
            if known > 0 { logger.info("\(torrent.metainfo.name): no peers; dialed \(known) remembered peers again") }
        }
    }

    /// Dials the peers the library remembers for a torrent; returns how many.
    private func dialKnownPeers(of infoHash: InfoHash) -> Int {
        let known = (try? library.knownPeers(for: infoHash)) ?? []
        for peer in known { engine.connect(host: peer.address.host, port: Int(peer.address.port), infoHash: infoHash) }
        return known.count
    }

    private static func isLocal(_ host: String) -> Bool { host == "127.0.0.1" || host == "::1" || host == "0.0.0.0" }

    /// Records the moment a torrent completes and tells its trackers.
    private nonisolated func watchCompletion(_ torrent: ActiveTorrent) async {
        let wasComplete = await torrent.session.isComplete
        await torrent.session.waitUntilComplete()
        guard await torrent.session.isComplete else { return }
        await completed(torrent, announce: !wasComplete)
    }

    private func completed(_ torrent: ActiveTorrent, announce: Bool) {
        guard active[torrent.infoHash] === torrent else { return }
        if announce { torrent.announcer?.markCompleted() }
        do {
            try library.setState(.seeding, for: torrent.infoHash)
            if announce { try library.setCompletedAt(Date(), for: torrent.infoHash) }
        } catch {
            logger.error("cannot record the completion of \(torrent.metainfo.name): \(error)")
        }
        logger.info("complete: \(torrent.metainfo.name)")
    }

    // MARK: - DHT

    /// How often the DHT's routing table is saved (and once more when the node stops).
    public static let dhtSaveInterval: Duration = .seconds(300)

    /// The DHT node on the peer address, with the saved table (and so the saved ID); on the peer port's
    /// number when UDP has it free, else on any port.
    private func bindDHT() async throws(NodeError) -> DHTNode {
        let snapshot: RoutingTable.Snapshot?
        do { snapshot = try library.dhtSnapshot() } catch { throw .state(error) }
        let settings = DHTNodeSettings(
            bootstrapNodes: self.settings.dhtBootstrapNodes
                ?? DHTNodeSettings.defaultBootstrapNodes(listeningOn: self.settings.peerHost))
        let host = self.settings.peerHost
        do {
            return try await DHTNode.bind(
                host: host, preferredPort: peerPort, settings: settings, snapshot: snapshot, logger: logger)
        } catch {
            throw .cannotListen(host: host, port: 0, reason: error.description)
        }
    }

    /// The DHT when a magnet link can be searched there: it runs and has a way in (saved nodes or bootstrap).
    private var searchableDHT: DHTNode? {
        get async {
            guard let dht else { return nil }
            let hasWayIn = await dht.routingTableSize > 0 || !dht.settings.bootstrapNodes.isEmpty
            return hasWayIn ? dht : nil
        }
    }

    private nonisolated func saveDHTPeriodically() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: Self.dhtSaveInterval) } catch { return }
            await saveDHT()
        }
    }

    /// Keeps the DHT's ID and good nodes in the library, for the next start.
    private func saveDHT() async {
        guard let dht else { return }
        do { try library.saveDHTSnapshot(await dht.snapshot()) } catch {
            logger.warning("cannot save the DHT's routing table: \(error)")
        }
    }

    // MARK: - LSD

    /// The LAN discovery socket, or nil (and a warning) when it cannot start: no multicast route, say. The
    /// node works without it.
    private func bindLSD() async -> LSDService? {
        guard let lsdSettings = LSDServiceSettings.forPeerListener(host: settings.peerHost, port: settings.lsdPort)
        else { return nil }
        do {
            return try await LSDService.bind(settings: lsdSettings, logger: logger)
        } catch {
            logger.warning("local service discovery is off: \(error)")
            return nil
        }
    }

    /// A peer on the LAN announced one of our running torrents.
    private func foundOnTheLAN(_ found: LSDDiscovery) async {
        guard let torrent = active[found.infoHash] else { return }
        await self.found([found.peer], for: torrent, source: .lsd)
    }

    // MARK: - Magnet links

    /// How long a magnet link waits before its peers are asked again after none delivered.
    public static let metadataRetryInterval: Duration = .seconds(30)

    private func startFetchingMetadata(_ record: TorrentRecord) {
        guard let link = record.magnet, let magnet = try? MagnetLink(parsing: link),
            fetching.insert(record.infoHash).inserted
        else { return }
        metadataRequestSink.yield(magnet)
    }

    /// Asks peers for the metadata until it comes, the torrent is paused or removed, or the node stops.
    private nonisolated func fetchMetadata(_ magnet: MagnetLink) async {
        let fetcher = MetadataFetcher(
            infoHash: magnet.infoHash, peerID: peerID, settings: engine.settings, logger: logger)
        while !Task.isCancelled {
            guard await stillWantsMetadata(magnet.infoHash) else { break }
            let known = (try? library.knownPeers(for: magnet.infoHash).map(\.address)) ?? []
            let announcer = await makeAnnouncer(
                infoHash: magnet.infoHash, name: magnet.displayName ?? magnet.infoHash.hex,
                tiers: magnet.trackers.map { [$0] })
            let search = await searchableDHT.map { DHTAnnouncer(node: $0, infoHash: magnet.infoHash, port: nil) }
            let (peers, sink) = AsyncStream.makeStream(of: PeerAddress.self)
            for peer in known { sink.yield(peer) }
            if announcer == nil && search == nil { sink.finish() }
            let result = await withTaskGroup(of: Void.self) { group -> Metainfo? in
                if let search {
                    group.addTask { await search.run(onPeers: { found in for peer in found { sink.yield(peer) } }) }
                }
                if let announcer {
                    group.addTask {
                        await announcer.run(
                            progress: { .fetchingMetadata },
                            onPeers: { found in for peer in found { sink.yield(peer.peerAddress) } })
                    }
                }
                let metainfo: Metainfo?
                do throws(MetadataFetcher.FetchError) {
                    metainfo = try await fetcher.fetch(from: peers)
                } catch {
                    logger.notice("metadata of \(magnet.infoHash.hex): \(error)")
                    metainfo = nil
                }
                announcer?.stop()
                search?.stop()
                sink.finish()
                await group.waitForAll()
                return metainfo
            }
            if let result {
                await metadataArrived(result, magnet: magnet)
                return
            }
            do { try await Task.sleep(for: Self.metadataRetryInterval) } catch { break }
        }
        await metadataAbandoned(magnet.infoHash)
    }

    private func stillWantsMetadata(_ infoHash: InfoHash) -> Bool {
        guard let record = try? library.torrent(infoHash: infoHash) else { return false }
        return record.state != .paused && record.metainfo == nil
    }

    private func metadataAbandoned(_ infoHash: InfoHash) {
        fetching.remove(infoHash)
    }

    /// Keeps the fetched metadata as a .torrent (with the link's trackers and web seeds) and starts the torrent.
    private func metadataArrived(_ fetched: Metainfo, magnet: MagnetLink) async {
        fetching.remove(magnet.infoHash)
        guard var record = try? library.torrent(infoHash: magnet.infoHash) else { return }
        let tiers = magnet.trackers.isEmpty ? fetched.trackerTiers : magnet.trackers.map { [$0] }
        let bytes = MetainfoWriter.torrent(
            rawInfo: fetched.infoBytes, options: TorrentOptions(trackerTiers: tiers, webSeeds: magnet.webSeeds))
        do {
            try library.setMetainfo(bytes, for: magnet.infoHash)
            try torrentFiles.save(bytes, savePath: record.savePath, for: magnet.infoHash)
        } catch {
            logger.error("cannot keep the metadata of \(magnet.infoHash.hex): \(error)")
            return
        }
        logger.info("metadata of \(fetched.name) (\(magnet.infoHash.hex)) arrived")
        record.metainfo = bytes
        guard record.state != .paused else { return }
        do { try await activate(record) } catch { logger.error("cannot start \(fetched.name): \(error)") }
    }

    // MARK: - Durability

    private nonisolated func flushPeriodically() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: settings.flushInterval) } catch { return }
            await flushAll()
        }
    }

    /// Makes every running torrent's verified pieces durable and records them.
    public func flushAll() async {
        for torrent in Array(active.values) { await flush(torrent) }
    }

    /// The durability rule in one place: note what is verified, fsync the data, then record what was noted
    /// (pieces verified during the fsync wait for the next round). Transfer totals are added as well.
    private func flush(_ torrent: ActiveTorrent) async {
        if torrent.completion.hasUnflushedChanges {
            let snapshot = torrent.completion.snapshot()
            do {
                try await torrent.store.flush()
                try torrent.completion.flush(snapshot)
            } catch {
                logger.error("cannot make the progress of \(torrent.metainfo.name) durable: \(error)")
            }
        }
        let uploaded = await torrent.session.uploadedBytes
        let downloaded = await torrent.session.downloadedBytes
        let counted = countedTransfers[torrent.infoHash] ?? (0, 0)
        guard uploaded != counted.uploaded || downloaded != counted.downloaded else { return }
        do {
            try library.addTransfer(
                infoHash: torrent.infoHash, uploaded: uploaded - counted.uploaded,
                downloaded: downloaded - counted.downloaded)
            countedTransfers[torrent.infoHash] = (uploaded, downloaded)
        } catch {
            logger.error("cannot record the transfer totals of \(torrent.metainfo.name): \(error)")
        }
    }

    // MARK: - Helpers

    /// Piece priorities for per-file ones, one per data file (pad files, which are never stored, have none);
    /// throws for a wrong count or a level outside 0...7.
    static func pieceLevels(_ priorities: [Int], for metainfo: Metainfo) throws(NodeError) -> [PiecePriority] {
        let dataFiles = metainfo.files.indices.filter { !metainfo.files[$0].isPadding }
        guard priorities.count == dataFiles.count else {
            throw .invalidPriorities("\(priorities.count) priorities for \(dataFiles.count) files")
        }
        var levels = [PiecePriority](repeating: .skip, count: metainfo.files.count)
        for (position, index) in dataFiles.enumerated() {
            guard let level = PiecePriority(level: priorities[position]) else {
                throw .invalidPriorities("\(priorities[position]) is not a priority from 0 (skip) to 7")
            }
            levels[index] = level
        }
        let fileMap = FileMap(files: metainfo.files)
        guard let pieces = PiecePriority.forPieces(filePriorities: levels, files: fileMap, geometry: metainfo.geometry)
        else { throw .invalidPriorities("\(priorities.count) priorities for \(dataFiles.count) files") }
        return pieces
    }
}
