import GRDB

/// The database schema as a list of migrations, applied in order and recorded by identifier in
/// GRDB's `grdb_migrations` table.
///
/// Policy: a migration that has shipped is never edited, renamed or removed; every change is a new
/// migration appended at the end. An old database is upgraded step by step on open; a database that
/// records a migration not listed here was written by a newer Shoal and is refused (see
/// `StateStoreError.newerSchema`), because this build cannot know what the newer tables mean.
enum StateStoreSchema {
    /// Identifiers of the migrations, oldest first.
    static let v1 = "v1"
    static let v2 = "v2"
    static let v3 = "v3"
    static let v4 = "v4"

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration(v1, migrate: createTables)
        migrator.registerMigration(v2, migrate: addQueuePosition)
        migrator.registerMigration(v3, migrate: createTrackerTables)
        migrator.registerMigration(v4, migrate: createDHTTables)
        return migrator
    }

    /// v1: the library, piece completion, transfer totals, known peers and settings. The SQL is
    /// written out (not built with GRDB's table builder) so it is frozen text, exactly as documented
    /// in docs/state-store.md.
    private static func createTables(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE torrent (
                    infohash TEXT NOT NULL PRIMARY KEY CHECK (length(infohash) = 40),
                    metainfo BLOB,
                    magnet TEXT,
                    name TEXT NOT NULL,
                    savePath TEXT NOT NULL,
                    state TEXT NOT NULL,
                    addedAt REAL NOT NULL,
                    completedAt REAL,
                    filePriorities TEXT NOT NULL DEFAULT '[]',
                    CHECK (metainfo IS NOT NULL OR magnet IS NOT NULL)
                );
                CREATE TABLE pieceCompletion (
                    infohash TEXT NOT NULL PRIMARY KEY REFERENCES torrent(infohash) ON DELETE CASCADE,
                    pieceCount INTEGER NOT NULL CHECK (pieceCount >= 0),
                    bits BLOB NOT NULL
                );
                CREATE TABLE transferTotals (
                    infohash TEXT NOT NULL PRIMARY KEY REFERENCES torrent(infohash) ON DELETE CASCADE,
                    uploaded INTEGER NOT NULL DEFAULT 0,
                    downloaded INTEGER NOT NULL DEFAULT 0
                );
                CREATE TABLE knownPeer (
                    infohash TEXT NOT NULL REFERENCES torrent(infohash) ON DELETE CASCADE,
                    host TEXT NOT NULL,
                    port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
                    lastSeen REAL NOT NULL,
                    PRIMARY KEY (infohash, host, port)
                );
                CREATE INDEX knownPeer_byLastSeen ON knownPeer(infohash, lastSeen);
                CREATE TABLE setting (
                    key TEXT NOT NULL PRIMARY KEY,
                    value TEXT NOT NULL
                );
                """)
    }

    /// v2: a queue position per torrent, so a node that runs only N torrents at once starts them in
    /// the order the user chose, and keeps that order across restarts. Existing torrents get 0.
    private static func addQueuePosition(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE torrent ADD COLUMN queuePosition INTEGER NOT NULL DEFAULT 0")
    }

    /// v3: what `shoal tracker` keeps across restarts: completed-download counts per swarm, tracker-wide
    /// totals and the passkeys of private mode. The swarms are keyed by infohash but do not reference
    /// `torrent`: a tracker tracks torrents that are not in the node's library.
    private static func createTrackerTables(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE trackerSwarm (
                    infohash TEXT NOT NULL PRIMARY KEY CHECK (length(infohash) = 40),
                    completed INTEGER NOT NULL CHECK (completed >= 0)
                );
                CREATE TABLE trackerTotal (
                    name TEXT NOT NULL PRIMARY KEY,
                    value INTEGER NOT NULL
                );
                CREATE TABLE trackerKey (
                    passkey TEXT NOT NULL PRIMARY KEY,
                    label TEXT NOT NULL,
                    createdAt REAL NOT NULL,
                    revokedAt REAL
                );
                """)
    }

    /// v4: the DHT node's place in the DHT across restarts: its node ID (one row) and the nodes that
    /// answered it, closest buckets first (BEP 5 asks clients to keep both).
    private static func createDHTTables(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE dhtIdentity (
                    id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
                    nodeID BLOB NOT NULL CHECK (length(nodeID) = 20),
                    savedAt REAL NOT NULL
                );
                CREATE TABLE dhtNode (
                    position INTEGER NOT NULL PRIMARY KEY,
                    nodeID BLOB NOT NULL CHECK (length(nodeID) = 20),
                    address BLOB NOT NULL CHECK (length(address) IN (4, 16)),
                    port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535)
                );
                """)
    }
}
