import Foundation
import Hummingbird
import Logging
import MediaIngest
import PeerWire
import PieceStorage
import StreamServer
import Streaming
import StreamingEngine
import SwarmEngine
import TestSupport
import TorrentModel

/// An in-process streaming swarm on loopback: a seed holding the ingested sample video, and a watcher whose
/// `StreamingTorrent` is served over HTTP by `StreamServer`, as `shoal watch` does.
final class StreamingSwarm: @unchecked Sendable {
    let directory: TemporaryDirectory
    let ingest: IngestResult
    let seedEngine: SwarmEngine
    let watcherEngine: SwarmEngine
    let seedSession: TorrentSession
    let watcherSession: TorrentSession
    let streamer: StreamingTorrent
    let seedPort: Int
    let httpPort: Int
    private let pools: [StorageThreadPool]
    private var tasks: [Task<Void, Never>] = []

    var metainfo: Metainfo { ingest.metainfo }
    var infoHash: String { ingest.metainfo.infoHash.hex }
    var baseURL: String { "http://127.0.0.1:\(httpPort)" }
    /// The video's average bit rate in bytes per second.
    var byteRate: Int { ingest.summary.averageBitRate / 8 }

    /// The sample ingested once per test process: every swarm shares the same files (read only).
    static let sample: IngestResult = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "shoal-stream-sample-\(ProcessInfo.processInfo.processIdentifier)"
        ).path
        return try! VideoIngest.run(IngestRequest(input: samplePath, outputFolder: folder))
    }()

    static var samplePath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("samples/sample.mp4").path
    }

    /// `seedRate`: the seed's upload cap in bytes per second (nil: none). `withSeed` false: a watcher alone.
    init(
        seedRate: (Int) -> Int? = { _ in nil }, withSeed: Bool = true, settings: StreamingSettings = .standard,
        pieceWait: Duration = StreamingTorrent.defaultPieceWait
    ) async throws {
        directory = try TemporaryDirectory(prefix: "shoal-stream")
        ingest = Self.sample
        let metainfo = ingest.metainfo
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let outputFolder = URL(fileURLWithPath: ingest.folderPath).deletingLastPathComponent().path

        let seedPool = StorageThreadPool()
        let watcherPool = StorageThreadPool()
        pools = [seedPool, watcherPool]
        let seedStore = FileStorage(
            metainfo: metainfo, saveFolder: outputFolder,
            completion: MemoryCompletionState(pieceCount: metainfo.pieceCount),
            pool: seedPool)
        try await seedStore.prepare()
        _ = try await seedStore.recheck()
        var random = SystemRandomNumberGenerator()
        seedEngine = SwarmEngine(
            peerID: PeerID.generate(using: &random),
            settings: EngineSettings(maximumUploadRate: seedRate(ingest.summary.averageBitRate / 8)), logger: logger)
        seedPort = try await seedEngine.bind(host: "127.0.0.1", port: 0)
        seedSession = seedEngine.addTorrent(metainfo, store: seedStore)

        let watcherStore = FileStorage(
            metainfo: metainfo, saveFolder: directory.path,
            completion: MemoryCompletionState(pieceCount: metainfo.pieceCount), pool: watcherPool)
        try await watcherStore.prepare()
        watcherEngine = SwarmEngine(peerID: PeerID.generate(using: &random), logger: logger)
        _ = try await watcherEngine.bind(host: "127.0.0.1", port: 0)
        watcherSession = watcherEngine.addTorrent(metainfo, store: watcherStore)
        streamer = StreamingTorrent(
            metainfo: metainfo, session: watcherSession, store: watcherStore, settings: settings, pieceWait: pieceWait,
            logger: logger)
        let catalog = StreamCatalog()
        catalog.add(streamer)

        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        // Cancelling the server at the end logs errors; they are not the test's.
        var quiet = logger
        quiet.logLevel = .critical
        let app = StreamServer.makeApplication(
            catalog: catalog, host: "127.0.0.1", port: 0, logger: quiet, onServerRunning: { portSink.yield($0) })
        let seedEngine = seedEngine
        let watcherEngine = watcherEngine
        let streamer = streamer
        tasks.append(Task { await seedEngine.run() })
        tasks.append(Task { await watcherEngine.run() })
        tasks.append(Task { await streamer.run() })
        tasks.append(Task { try? await app.runService() })
        var iterator = ports.makeAsyncIterator()
        httpPort = await iterator.next() ?? 0
        if withSeed { watcherEngine.connect(host: "127.0.0.1", port: seedPort, infoHash: metainfo.infoHash) }
    }

    func stop() async {
        seedEngine.stop()
        watcherEngine.stop()
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
        for pool in pools { pool.shutDown() }
    }
}
