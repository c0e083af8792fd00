import Foundation
import Logging
import NIOCore
import StateStore
import Synchronization
import TorrentModel
import TrackerProtocol

/// A running tracker: the core, its sockets, and the housekeeping around them. Once a second it samples
/// the announce rate; every few seconds it saves completed counts and totals to SQLite, reloads the
/// passkeys (private mode) and the allow-list file if it changed; it expires silent peers.
public final class TrackerService: Sendable {
    public struct Options: Sendable {
        public var configuration = TrackerConfiguration()
        public var host = "0.0.0.0"
        public var port = 6969
        /// The SQLite file with completed counts, totals and passkeys; nil keeps nothing (tests only).
        public var databasePath: String?
        /// `--allow FILE`: only the infohashes listed there, re-read when the file changes.
        public var allowFile: String?
        /// Private mode: announces need a passkey from the database.
        public var isPrivate = false
        /// Seconds between saves and reloads.
        public var saveInterval: Double = 5

        public init() {}
    }

    public let core: TrackerCore
    public let server: TrackerServer
    private let store: StateStore?
    private let options: Options
    private let logger: Logger
    private let stopRequested = Mutex(false)
    private let allowFileStamp = Mutex<FileStamp?>(nil)

    private init(core: TrackerCore, server: TrackerServer, store: StateStore?, options: Options, logger: Logger) {
        self.core = core
        self.server = server
        self.store = store
        self.options = options
        self.logger = logger
    }

    /// Opens the database, restores counts, reads the allow list and passkeys, then binds the sockets.
    /// Every failure is a `TrackerStartError` with a one-line message.
    public static func start(options: Options, logger: Logger) async throws(TrackerStartError) -> TrackerService {
        var configuration = options.configuration
        let store: StateStore?
        if let path = options.databasePath {
            do { store = try StateStore(path: path) } catch { throw .database(path: path, error.description) }
        } else {
            store = nil
        }
        if options.isPrivate {
            guard let store else { throw .privateNeedsDatabase }
            do { configuration.access.passkeys = try store.activeTrackerPasskeys() } catch {
                throw .database(path: store.path, error.description)
            }
        }
        var stamp: FileStamp?
        if let allowFile = options.allowFile {
            let (list, fileStamp) = try readAllowFile(allowFile)
            configuration.access.allowedInfoHashes = list
            stamp = fileStamp
        }
        let core = TrackerCore(configuration: configuration)
        if let store {
            do {
                core.restoreCompleted(try store.trackerCompletedCounts())
                let totals = try store.trackerTotals()
                core.restoreTotals(
                    announces: Int(totals["announces"] ?? 0), scrapes: Int(totals["scrapes"] ?? 0),
                    completed: Int(totals["completed"] ?? 0))
            } catch {
                throw .database(path: store.path, error.description)
            }
        }
        let server: TrackerServer
        do {
            server = try await TrackerServer.start(core: core, host: options.host, port: options.port)
        } catch {
            try? store?.close()
            throw .bind(host: options.host, port: options.port, Self.socketErrorText(error))
        }
        let service = TrackerService(core: core, server: server, store: store, options: options, logger: logger)
        service.allowFileStamp.withLock { $0 = stamp }
        return service
    }

    /// "address already in use" rather than NIO's `bind(descriptor:ptr:bytes:): … (errno: 98)`.
    static func socketErrorText(_ error: any Error) -> String {
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)).lowercased() }
        if let error = error as? TCPListenerSocket.Failure { return String(cString: strerror(error.code)).lowercased() }
        return "\(error)"
    }

    public func requestStop() {
        stopRequested.withLock { $0 = true }
    }

    private var isStopping: Bool { stopRequested.withLock { $0 } }

    /// Housekeeping until `requestStop()` (or cancellation); then the sockets close and counts are saved.
    public func run() async {
        var tick = 0
        let saveEvery = max(1, Int(options.saveInterval.rounded()))
        let expireEvery = max(1, min(30, core.configuration.interval / 4))
        while !isStopping && !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(250))
            tick += 1
            guard tick % 4 == 0 else { continue }
            let seconds = tick / 4
            core.sampleRates()
            if seconds % expireEvery == 0 { core.expirePeers() }
            if seconds % saveEvery == 0 {
                save()
                reloadPasskeys()
                reloadAllowFile()
            }
        }
        await server.close()
        save()
        try? store?.close()
    }

    /// Saves the completed counts that changed and the totals.
    public func save() {
        guard let store else { return }
        let changed = core.takeChangedCompletedCounts()
        let totals = core.totals
        do {
            if !changed.isEmpty { try store.saveTrackerCompletedCounts(changed) }
            try store.saveTrackerTotals([
                "announces": Int64(totals.announces), "scrapes": Int64(totals.scrapes),
                "completed": Int64(totals.completed),
            ])
        } catch {
            // Put them back for the next try: a full disk must not lose the counts.
            core.restoreChangedCompleted(changed)
            logger.error("cannot save tracker counts to \(store.path): \(error)")
        }
    }

    private func reloadPasskeys() {
        guard options.isPrivate, let store else { return }
        do {
            let passkeys = try store.activeTrackerPasskeys()
            if passkeys != core.accessPolicy.passkeys { core.setPasskeys(passkeys) }
        } catch {
            logger.error("cannot read passkeys from \(store.path): \(error)")
        }
    }

    private func reloadAllowFile() {
        guard let path = options.allowFile else { return }
        let current = FileStamp(path: path)
        guard current != allowFileStamp.withLock({ $0 }) else { return }
        do {
            let (list, stamp) = try Self.readAllowFile(path)
            core.setAllowedInfoHashes(list)
            allowFileStamp.withLock { $0 = stamp }
            logger.notice("allow list reloaded from \(path): \(list.count) torrents")
        } catch {
            // Keep the list we have: a half-written file must not lock every torrent out.
            allowFileStamp.withLock { $0 = current }
            logger.error("\(error.message); keeping the previous allow list")
        }
    }

    private static func readAllowFile(_ path: String) throws(TrackerStartError) -> (Set<InfoHash>, FileStamp?) {
        let stamp = FileStamp(path: path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .allowFile(path: path, "cannot read it")
        }
        do {
            return (try InfoHashAllowList.parse(String(decoding: data, as: UTF8.self)), stamp)
        } catch {
            throw .allowFile(path: path, error.description)
        }
    }
}

/// Modification time and size: enough to notice an edited allow list without reading it every time.
struct FileStamp: Equatable, Sendable {
    var modified: Date
    var size: Int

    init?(path: String) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let modified = attributes[.modificationDate] as? Date, let size = attributes[.size] as? Int
        else { return nil }
        self.modified = modified
        self.size = size
    }
}
