import Foundation
import GRDB
import Testing
import TorrentModel

@testable import StateStore

@Suite("Schema migrations")
struct MigrationTests {
    @Test("a new file gets every migration, in order")
    func fresh() throws {
        let folder = try StoreFolder()
        let store = try folder.open()
        #expect(try store.appliedMigrations() == ["v1", "v2", "v3", "v4"])
        let journalMode = try store.pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(journalMode == "wal")
    }

    @Test("a v1 database is upgraded to the newest schema and keeps every row")
    func upgradeFromV1() throws {
        let folder = try StoreFolder()
        let hash = infoHash(0xAB)
        do {
            let old = try StateStore(path: folder.path, upTo: "v1")
            #expect(try old.appliedMigrations() == ["v1"])
            let columns = try old.pool.read { db in try db.columns(in: "torrent").map(\.name) }
            #expect(!columns.contains("queuePosition"))
            // Rows as a v1 build wrote them, in raw SQL: the v2 record type has a column v1 lacks.
            try old.pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO torrent (infohash, metainfo, magnet, name, savePath, state, addedAt, completedAt,
                            filePriorities)
                        VALUES (?, ?, NULL, 'old show', '/srv/old', 'seeding', 1700000000, 1700000100.5, '[1,0]')
                        """,
                    arguments: [hash.hex, Data([0x64, 0x65])])
                try db.execute(
                    sql: "INSERT INTO pieceCompletion (infohash, pieceCount, bits) VALUES (?, 3, ?)",
                    arguments: [hash.hex, Data([0b1010_0000])])
                try db.execute(
                    sql: "INSERT INTO transferTotals (infohash, uploaded, downloaded) VALUES (?, 11, 22)",
                    arguments: [hash.hex])
                try db.execute(
                    sql:
                        "INSERT INTO knownPeer (infohash, host, port, lastSeen) VALUES (?, '10.0.0.5', 6881, 1700000200)",
                    arguments: [hash.hex])
                try db.execute(sql: "INSERT INTO setting (key, value) VALUES ('listen.port', '6881')")
            }
            try old.close()
        }

        let store = try folder.open()
        #expect(try store.appliedMigrations() == ["v1", "v2", "v3", "v4"])
        let column = try store.pool.read { db in
            try db.columns(in: "torrent").first { $0.name == "queuePosition" }
        }
        #expect(column?.type == "INTEGER")
        #expect(column?.isNotNull == true)
        #expect(column?.defaultValueSQL == "0")

        let expected = TorrentRecord(
            infoHash: hash, metainfo: [0x64, 0x65], magnet: nil, name: "old show", savePath: "/srv/old",
            state: .seeding, addedAt: date(1_700_000_000), completedAt: Date(timeIntervalSince1970: 1_700_000_100.5),
            filePriorities: [1, 0], queuePosition: 0)
        #expect(try store.torrent(infoHash: hash) == expected)
        #expect(try store.completion(infoHash: hash) == bitfield(count: 3, set: [0, 2]))
        #expect(try store.totals(infoHash: hash) == TransferTotals(uploaded: 11, downloaded: 22))
        #expect(
            try store.knownPeers(for: hash) == [
                KnownPeer(address: PeerAddress(host: "10.0.0.5", port: 6881), lastSeen: date(1_700_000_200))
            ])
        #expect(try store.setting("listen.port") == "6881")

        // The new column works.
        try store.setQueuePosition(5, for: hash)
        #expect(try store.torrent(infoHash: hash)?.queuePosition == 5)
    }

    @Test("a v2 database is upgraded to v3: the tracker tables appear and the library is kept")
    func upgradeFromV2() throws {
        let folder = try StoreFolder()
        do {
            let old = try StateStore(path: folder.path, upTo: "v2")
            #expect(try old.appliedMigrations() == ["v1", "v2"])
            try old.addTorrent(fullRecord(1))
            try old.setSetting("listen.port", "6881")
            for table in ["trackerSwarm", "trackerTotal", "trackerKey"] {
                #expect(try old.pool.read { db in try db.tableExists(table) } == false)
            }
            try old.close()
        }

        let store = try folder.open()
        #expect(try store.appliedMigrations() == ["v1", "v2", "v3", "v4"])
        #expect(try store.allTorrents() == [fullRecord(1)])
        #expect(try store.setting("listen.port") == "6881")

        // Name, type, NOT NULL and primary key of each new column, as documented.
        func columns(_ table: String) throws -> [String] {
            try store.pool.read { db in
                let primaryKey = try db.primaryKey(table).columns
                return try db.columns(in: table).map { column in
                    [column.name, column.type, column.isNotNull ? "NOT NULL" : "NULL"]
                        .joined(separator: " ") + (primaryKey == [column.name] ? " PK" : "")
                }
            }
        }
        #expect(try columns("trackerSwarm") == ["infohash TEXT NOT NULL PK", "completed INTEGER NOT NULL"])
        #expect(try columns("trackerTotal") == ["name TEXT NOT NULL PK", "value INTEGER NOT NULL"])
        #expect(
            try columns("trackerKey") == [
                "passkey TEXT NOT NULL PK", "label TEXT NOT NULL", "createdAt REAL NOT NULL", "revokedAt REAL NULL",
            ])
        // The swarms do not reference the library.
        #expect(try store.pool.read { db in try db.foreignKeys(on: "trackerSwarm") }.isEmpty)

        // The CHECK constraints hold against raw SQL too.
        #expect(throws: (any Error).self) {
            try store.pool.write { db in
                try db.execute(sql: "INSERT INTO trackerSwarm (infohash, completed) VALUES ('abc', 1)")
            }
        }
        #expect(throws: (any Error).self) {
            try store.pool.write { db in
                try db.execute(
                    sql: "INSERT INTO trackerSwarm (infohash, completed) VALUES (?, -1)", arguments: [infoHash(1).hex])
            }
        }

        // The new tables work.
        try store.saveTrackerCompletedCounts([infoHash(9): 3])
        try store.saveTrackerTotals(["announces": 1])
        let key = try store.addTrackerKey(label: "after upgrade")
        #expect(try store.trackerCompletedCounts() == [infoHash(9): 3])
        #expect(try store.trackerTotals() == ["announces": 1])
        #expect(try store.activeTrackerPasskeys() == [key.passkey])
    }
}
