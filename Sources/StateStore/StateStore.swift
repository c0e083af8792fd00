import GRDB
import Synchronization
import TorrentModel

/// The node's durable memory in one SQLite file: the torrent library, which pieces are verified, transfer
/// totals, known peers and settings. Everything a node needs to resume after a restart without
/// re-checking its data or waiting for a tracker; and for `shoal tracker`, its swarms' completed
/// counts, its totals and its passkeys.
///
/// A `DatabasePool` in WAL mode: reads run concurrently with the single writer, and a crash leaves the
/// last committed transaction intact. Every method is one transaction. Methods block on SQLite (a
/// write is typically well under a millisecond, plus an fsync at commit), so call them from a task or
/// thread that may block briefly, never from an event loop.
public final class StateStore: Sendable {
    /// The database file's path, as given.
    public let path: String
    let pool: DatabasePool
    /// Set by `close()`; checked before every call so a closed store throws instead of reaching a
    /// closed SQLite connection.
    private let isClosed = Atomic(false)

    /// Opens (or creates) the database at `path`, creating missing folders, and upgrades its schema to
    /// the newest this build knows.
    public convenience init(path: String) throws(StateStoreError) {
        try self.init(path: path, upTo: nil)
    }

    /// Opens the database and applies migrations up to `lastMigration` (all when nil). Tests use it to
    /// create a database of an older schema.
    init(path: String, upTo lastMigration: String?) throws(StateStoreError) {
        self.path = path
        try ParentFolder.create(for: path)
        try DatabaseFileHeader.check(path: path)
        var configuration = Configuration()
        configuration.label = "StateStore"
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(StateStoreLimits.busyTimeout)
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            let migrator = StateStoreSchema.migrator
            try pool.read { db in try Self.checkOwnership(db, migrator: migrator, path: path) }
            if let lastMigration {
                try migrator.migrate(pool, upTo: lastMigration)
            } else {
                try migrator.migrate(pool)
            }
        } catch {
            throw StateStoreError(error, path: path, operation: "open the database", opening: true)
        }
    }

    /// Refuses a file that another program or a newer Shoal wrote: migrating it would mix our tables
    /// into theirs, or write rows whose meaning has changed.
    private static func checkOwnership(_ db: Database, migrator: DatabaseMigrator, path: String) throws(StateStoreError)
    {
        do {
            if try db.tableExists("grdb_migrations") {
                let known = Set(migrator.migrations)
                let unknown = try migrator.appliedIdentifiers(db).subtracting(known).sorted()
                if !unknown.isEmpty { throw StateStoreError.newerSchema(path: path, unknownMigrations: unknown) }
            } else {
                let tables = try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
                if let tables, tables > 0 {
                    throw StateStoreError.notADatabase(path: path, reason: "it holds tables of another program")
                }
            }
        } catch {
            throw StateStoreError(error, path: path, operation: "open the database", opening: true)
        }
    }

    /// Closes the connections; later calls throw `closed`, and closing twice is harmless. Call it once
    /// every other call has returned. Dropping the last reference closes too.
    public func close() throws(StateStoreError) {
        guard !isClosed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        do { try pool.close() } catch {
            isClosed.store(false, ordering: .releasing)
            throw StateStoreError(error, path: path, operation: "close the database")
        }
    }

    /// Identifiers of the migrations applied to this file, oldest first.
    public func appliedMigrations() throws(StateStoreError) -> [String] {
        try read("read the schema version") { db in try StateStoreSchema.migrator.appliedMigrations(db) }
    }

    /// Runs `body` in a write transaction, turning any failure into a `StateStoreError`.
    func write<T>(_ operation: String, _ body: (Database) throws -> T) throws(StateStoreError) -> T {
        guard !isClosed.load(ordering: .acquiring) else { throw .closed(path: path) }
        do { return try pool.write(body) } catch { throw StateStoreError(error, path: path, operation: operation) }
    }

    /// Runs `body` on a read-only snapshot, turning any failure into a `StateStoreError`.
    func read<T>(_ operation: String, _ body: (Database) throws -> T) throws(StateStoreError) -> T {
        guard !isClosed.load(ordering: .acquiring) else { throw .closed(path: path) }
        do { return try pool.read(body) } catch { throw StateStoreError(error, path: path, operation: operation) }
    }

    /// Throws `unknownTorrent` unless the library has this torrent; rows of the other tables belong to one.
    static func requireTorrent(_ db: Database, _ infoHash: InfoHash) throws {
        let exists = try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM torrent WHERE infohash = ?)", arguments: [infoHash.hex])
        guard exists == true else { throw StateStoreError.unknownTorrent(infoHash) }
    }
}
