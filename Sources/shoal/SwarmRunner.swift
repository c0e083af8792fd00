import DHTNode
import Glibc
import Hummingbird
import Logging
import PeerWire
import PieceStorage
import ServiceLifecycle
import StreamServer
import StreamingEngine
import SwarmEngine
import Synchronization
import TorrentModel
import TrackerClient
import TrackerProtocol

/// Runs one torrent's swarm for `shoal download` and `shoal seed`: storage, engine, tracker announces,
/// peers given on the command line, progress, and a graceful stop on completion or Ctrl-C.
struct SwarmRunner {
    enum Goal: Sendable {
        /// Exit once every piece is verified, or keep seeding until stopped.
        case download(keepSeeding: Bool)
        /// Serve until stopped (fetching any missing pieces from peers first).
        case seed
    }

    /// How the existing data is treated before the swarm starts.
    enum DataCheck: Sendable {
        /// The data was hashed moments ago (`shoal seed PATH` just made the torrent).
        case trusted
        /// Re-hash whatever is on disk, if anything is.
        case recheckIfPresent
        /// Re-hash even if nothing seems to be there (`--recheck`).
        case recheck
        /// The data must be there (seeding an existing torrent): re-hash it, and fail if none is found.
        case required
    }

    let metainfo: Metainfo
    let saveFolder: String
    let options: SwarmOptions
    let maximumDownloadRate: Int?
    let goal: Goal
    let dataCheck: DataCheck
    /// Peers already known to have the torrent (those that gave a magnet link's metadata), dialed at once.
    var knownPeers: [(PeerAddress, PeerSource)] = []
    /// Serve the torrent over HTTP for players too (`shoal watch`, `shoal seed VIDEO`).
    var streaming: StreamingSetup? = nil

    private enum Event: Sendable {
        case complete
        case interrupted
        case failed(String)
    }

    private enum Finished: Sendable {
        case engine, announcer, other
    }

    /// `discovery`: the command's DHT node and LSD socket, which this torrent is announced to and whose peers
    /// are dialed (never for a private torrent).
    func run(discovery: PeerDiscovery) async throws(CLIError) {
        let dht = discovery.dht
        let lsd = metainfo.isPrivate ? nil : discovery.lsd
        let logger = options.logger
        let pool = StorageThreadPool()
        defer { pool.shutDown() }
        let completion = MemoryCompletionState(pieceCount: metainfo.pieceCount)
        let store = FileStorage(metainfo: metainfo, saveFolder: saveFolder, completion: completion, pool: pool)
        try await prepare(store, completion: completion)

        var generator = SystemRandomNumberGenerator()
        let peerID = PeerID.generate(using: &generator)
        let settings = EngineSettings(
            maximumUploadRate: options.maxUploadRate?.limit, maximumDownloadRate: maximumDownloadRate,
            outgoingAddress: options.outgoingAddress)
        let engine = SwarmEngine(peerID: peerID, settings: settings, logger: logger)
        logger.info("our peer id: \(peerID)")
        let port: Int
        do {
            port = try await engine.bind(host: options.bind, port: options.port)
        } catch {
            throw CLIError.input("cannot listen on \(options.bind):\(options.port): \(error)")
        }
        let (events, eventSink) = AsyncStream.makeStream(of: Event.self)
        // Before "listening on", which tells scripts and tests the swarm is up: a Ctrl-C from then on must stop it
        // gracefully, not kill the process.
        let signals = StopSignals { _ in eventSink.yield(.interrupted) }
        defer { signals.restoreDefaults() }
        print("listening on \(options.bind):\(port)")
        flushStandardOutput()
        let session = engine.addTorrent(metainfo, store: store)
        var dhtNodeCount: (@Sendable () async -> Int)?
        if let dht { dhtNodeCount = { await dht.routingTableSize } }
        let streamer = streaming.map {
            StreamingTorrent(
                metainfo: metainfo, session: session, store: store, settings: $0.options.settings,
                dhtNodeCount: dhtNodeCount, logger: logger)
        }
        // The first schedule before the first peer, so that the first requests are for the head.
        await streamer?.begin()
        let dialer = Dialer(engine: engine, session: session, ownPort: port)
        for peer in options.peers { await dialer.dial(peer.address) }
        // A magnet link's peers were searched for before the metadata said whether the torrent is private.
        for (peer, source) in knownPeers where !metainfo.isPrivate || source.servesPrivateTorrents {
            await dialer.dial(peer, source: source)
        }
        let announcer = try TrackerAnnouncer.make(
            infoHash: metainfo.infoHash, name: metainfo.name, tiers: metainfo.trackerTiers, peerID: peerID,
            port: UInt16(port), outgoingAddress: options.outgoingAddress, logger: logger, generator: &generator)

        let dhtAnnouncer =
            metainfo.isPrivate
            ? nil : dht.map { DHTAnnouncer(node: $0, infoHash: metainfo.infoHash, port: UInt16(port)) }

        let startedComplete = await session.isComplete
        let display = TransferProgressDisplay(enabled: !options.quiet && streamer == nil)
        let watchDisplay = WatchStatusDisplay(enabled: !options.quiet && streamer != nil)
        let reporter = TrackerReporter()

        // The HTTP server runs in a service group so that it can stop gracefully (cancelling it logs errors).
        let httpServer = streaming.flatMap { streaming in
            streamer.map { streamer in
                ServiceGroup(
                    configuration: ServiceGroupConfiguration(
                        services: [streaming.makeApplication(streamer, logger: logger)], gracefulShutdownSignals: [],
                        logger: logger))
            }
        }
        let (interrupted, failure) = await withTaskGroup(of: Finished.self) { group -> (Bool, String?) in
            group.addTask {
                await engine.run()
                return .engine
            }
            if let announcer {
                group.addTask {
                    await announcer.run(
                        progress: {
                            AnnounceProgress(
                                uploaded: await session.uploadedBytes, downloaded: await session.downloadedBytes,
                                left: await session.bytesLeft)
                        },
                        onPeers: { peers in
                            for peer in peers { await dialer.dial(peer.peerAddress, source: .tracker) }
                            reporter.report(await announcer.trackerStatuses)
                        })
                    return .announcer
                }
            }
            if let lsd {
                group.addTask {
                    await lsd.announce(metainfo.infoHash, port: UInt16(port))
                    for await found in lsd.discoveries where found.infoHash == metainfo.infoHash {
                        await dialer.dial(found.peer, source: .lsd)
                    }
                    return .other
                }
            }
            if let dhtAnnouncer {
                group.addTask {
                    await dhtAnnouncer.run(onPeers: { peers in
                        for peer in peers { await dialer.dial(peer, source: .dht) }
                    })
                    return .other
                }
            }
            group.addTask {
                await display.run { await Self.snapshot(of: session) }
                return .other
            }
            if let streaming, let streamer, let httpServer {
                group.addTask {
                    do {
                        try await httpServer.run()
                    } catch {
                        eventSink.yield(.failed(streaming.listenFailure(error)))
                    }
                    return .other
                }
                group.addTask {
                    await streamer.run()
                    return .other
                }
                group.addTask {
                    await watchDisplay.run(streamer)
                    return .other
                }
            }
            group.addTask {
                await dialer.redialUntilCancelled()
                return .other
            }
            group.addTask {
                await session.waitUntilComplete()
                eventSink.yield(.complete)
                return .other
            }

            var interrupted = false
            var failure: String?
            loop: for await event in events {
                switch event {
                case .complete:
                    guard await session.isComplete, await session.storageFailure == nil else { break loop }
                    if !startedComplete {
                        announcer?.markCompleted()
                        Terminal.writeToStandardError(
                            "complete: \(metainfo.name), \(ByteCount.format(metainfo.totalLength)) verified\n")
                    }
                    if case .download(keepSeeding: false) = goal { break loop }
                    Terminal.writeToStandardError("seeding \(metainfo.name); Ctrl-C to stop\n")
                case .interrupted:
                    interrupted = true
                    break loop
                case .failed(let message):
                    failure = message
                    break loop
                }
            }
            // A second Ctrl-C while trackers hear `stopped` kills at once.
            signals.restoreDefaults()
            await httpServer?.triggerGracefulShutdown()
            announcer?.stop()
            dhtAnnouncer?.stop()
            if let lsd { await lsd.withdraw(metainfo.infoHash) }
            engine.stop()
            var waitingFor: Set<Finished> = announcer == nil ? [.engine] : [.engine, .announcer]
            while !waitingFor.isEmpty, let finished = await group.next() { waitingFor.remove(finished) }
            group.cancelAll()
            return (interrupted, failure)
        }

        if let announcer { reporter.report(await announcer.trackerStatuses) }
        // No fsync: completion is not remembered across runs (existing data is re-checked at start), so
        // waiting for the disk would only delay the exit, by seconds per gigabyte. The kernel was asked to
        // write each piece back as it was written (`Writeback`); libtorrent and Transmission do not wait either.
        do {
            try await store.close(sync: false)
        } catch {
            throw CLIError.input(error.description)
        }
        // The reason the run stopped goes first: stopping cancels the store's writes in flight.
        if let failure { throw CLIError.input(failure) }
        if let failure = await session.storageFailure { throw CLIError.input(failure.description) }
        if interrupted, case .download = goal, !(await session.isComplete) {
            let left = await session.bytesLeft
            throw CLIError(
                message: "interrupted with \(ByteCount.format(left)) of \(metainfo.name) still missing", exitCode: 130)
        }
    }

    // MARK: - Steps

    private func prepare(_ store: FileStorage, completion: MemoryCompletionState) async throws(CLIError) {
        let present = store.layout.dataFileIndices.contains { index in
            var info = stat()
            return stat(store.diskPath(ofFile: index), &info) == 0 && info.st_size > 0
        }
        if dataCheck == .required && !present {
            throw CLIError.input("no data of \(metainfo.name) found in \(saveFolder) (use --data DIR)")
        }
        do {
            try await store.prepare()
            switch dataCheck {
            case .trusted:
                completion.reset(to: Bitfield(count: metainfo.pieceCount, allSet: true))
            case .recheck, .recheckIfPresent, .required:
                guard present || dataCheck == .recheck else { return }
                let progress = RecheckProgress()
                let display = RecheckProgressDisplay(progress: progress, total: metainfo.totalLength)
                let have = try await display.run { () async throws(StorageError) -> Bitfield in
                    try await store.recheck(progress: progress)
                }
                Terminal.writeToStandardError(
                    "checked \(metainfo.name): \(have.setCount) of \(metainfo.pieceCount) pieces verified\n")
            }
        } catch {
            throw CLIError.input(error.description)
        }
    }

    private static func snapshot(of session: TorrentSession) async -> TransferProgressDisplay.Snapshot {
        TransferProgressDisplay.Snapshot(
            verifiedBytes: await session.verifiedBytes, totalBytes: session.geometry.totalLength,
            downloadedBytes: await session.downloadedBytes, uploadedBytes: await session.uploadedBytes,
            peers: await session.connectedPeerCount)
    }
}

/// Dials peer addresses from trackers and `--peer`: never one we are connected to, and the same address
/// again only after `redialInterval` (trackers repeat their peers in every announce; a peer that dropped
/// may be back).
final class Dialer: Sendable {
    static let redialInterval: Duration = .seconds(60)

    private let engine: SwarmEngine
    private let session: TorrentSession
    private let ownPort: Int
    /// When each known address was last dialed, and how we learned of it.
    private let lastDial = Mutex<[PeerAddress: (at: ContinuousClock.Instant, source: PeerSource)]>([:])

    init(engine: SwarmEngine, session: TorrentSession, ownPort: Int) {
        self.engine = engine
        self.session = session
        self.ownPort = ownPort
    }

    func dial(_ address: PeerAddress, source: PeerSource = .manual) async {
        // A tracker lists us too. (The engine would refuse the connection by its peer ID, but the refusal is
        // seen on the accepting side only, so without this the redial loop would dial us every minute.)
        if Int(address.port) == ownPort && ["127.0.0.1", "::1", "0.0.0.0"].contains(address.host) { return }
        guard !(await session.isConnected(to: address)) else { return }
        let now = ContinuousClock.now
        let due = lastDial.withLock { dials -> Bool in
            if let last = dials[address], now - last.at < Self.redialInterval { return false }
            dials[address] = (now, dials[address]?.source ?? source)
            return true
        }
        if due {
            engine.connect(host: address.host, port: Int(address.port), infoHash: session.infoHash, source: source)
        }
    }

    /// Dials again, every `redialInterval`, each known address that is not connected. Runs until cancelled.
    func redialUntilCancelled() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: Self.redialInterval)
            for (address, last) in lastDial.withLock({ Array($0) }) where !Task.isCancelled {
                await dial(address, source: last.source)
            }
        }
    }
}

/// Shows each tracker's failures and warnings once, when they change.
final class TrackerReporter: Sendable {
    private let shown = Mutex<[String: String]>([:])

    func report(_ statuses: [TrackerStatus]) {
        for status in statuses {
            let message = status.lastError.map { "failing: \($0)" } ?? status.lastWarning.map { "warning: \($0)" }
            let changed = shown.withLock { shown -> Bool in
                guard shown[status.url] != message else { return false }
                shown[status.url] = message
                return true
            }
            if changed, let message { Terminal.writeToStandardError("shoal: tracker \(status.url) \(message)\n") }
        }
    }
}

/// Printed lines reach a pipe at once (tests and scripts wait for the port line).
func flushStandardOutput() {
    fflush(nil)
}
