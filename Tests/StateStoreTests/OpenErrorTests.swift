import Foundation
import GRDB
import TestSupport
import Testing

@testable import StateStore

@Suite("Opening the database")
struct OpenErrorTests {
    /// Opening must fail with a `StateStoreError`; returns it for the caller's checks.
    private func openFailure(_ path: String) -> StateStoreError? {
        #expect(throws: StateStoreError.self) { try StateStore(path: path) }
    }

    @Test("missing folders are created")
    func createsFolders() throws {
        let folder = try StoreFolder(file: "a/b/c/shoal.sqlite")
        let store = try folder.open()
        try store.setSetting("k", "v")
        #expect(FileManager.default.fileExists(atPath: folder.path))
    }

    @Test("a file of random bytes is not a database; the message names the file and the way out")
    func randomBytes() throws {
        let folder = try StoreFolder()
        var random = SeededRandom(seed: 42)
        try random.data(count: 8192).write(to: URL(fileURLWithPath: folder.path))
        let error = try #require(openFailure(folder.path))
        #expect(error == .notADatabase(path: folder.path, reason: "file is not a database"))
        let message = error.description
        #expect(message.contains(folder.path))
        #expect(message.contains("is not a valid Shoal database (file is not a database)"))
        #expect(message.contains("move it away or run `shoal node --rebuild`"))
        #expect(message.contains("re-checking the data"))
    }

    @Test("a file cut short (inside its header or its first page) is not a database", arguments: [10, 60, 2_000])
    func truncated(length: Int) throws {
        let folder = try StoreFolder()
        do {
            let store = try folder.open()
            try store.addTorrent(fullRecord(1))
            try store.close()
        }
        let whole = try Data(contentsOf: URL(fileURLWithPath: folder.path))
        #expect(whole.starts(with: Array("SQLite format 3\0".utf8)))
        try whole.prefix(length).write(to: URL(fileURLWithPath: folder.path))
        let error = try #require(openFailure(folder.path))
        guard case .notADatabase(let path, _) = error else {
            Issue.record("expected notADatabase, got \(error)")
            return
        }
        #expect(path == folder.path)
        #expect(error.description.contains("is not a valid Shoal database (file is not a database"))
        #expect(error.description.contains("--rebuild"))
        // Nothing was written over the damaged file.
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.path)) == whole.prefix(length))
    }

    @Test("another program's SQLite database is refused, not migrated")
    func foreignDatabase() throws {
        let folder = try StoreFolder()
        do {
            let queue = try DatabaseQueue(path: folder.path)
            try queue.write { db in try db.execute(sql: "CREATE TABLE photos (id INTEGER PRIMARY KEY)") }
            try queue.close()
        }
        let error = try #require(openFailure(folder.path))
        #expect(error == .notADatabase(path: folder.path, reason: "it holds tables of another program"))
        #expect(error.description.contains("--rebuild"))
        let tables = try DatabaseQueue(path: folder.path).read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        }
        #expect(tables == ["photos"])
    }

    @Test("a database from a newer schema is refused with the unknown migrations named")
    func newerSchema() throws {
        let folder = try StoreFolder()
        do {
            let store = try folder.open()
            try store.addTorrent(fullRecord(1))
            try store.pool.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')")
            }
            try store.close()
        }
        let error = try #require(openFailure(folder.path))
        #expect(error == .newerSchema(path: folder.path, unknownMigrations: ["v9-from-the-future"]))
        #expect(error.description.contains(folder.path))
        #expect(error.description.contains("newer Shoal"))
        #expect(error.description.contains("v9-from-the-future"))
    }

    @Test("a path under a regular file gives an error naming the path, not a crash")
    func underRegularFile() throws {
        let folder = try StoreFolder()
        let blocker = folder.folder.url.appendingPathComponent("blocker").path
        try Data("not a folder".utf8).write(to: URL(fileURLWithPath: blocker))
        let path = blocker + "/state/shoal.sqlite"
        let error = try #require(openFailure(path))
        guard case .cannotCreateFolder(let failedFolder, let reason) = error else {
            Issue.record("expected cannotCreateFolder, got \(error)")
            return
        }
        #expect(failedFolder == blocker + "/state")
        #expect(reason.contains(blocker))
        #expect(error.description.contains(blocker + "/state"))
    }

    @Test("a folder where the file should be gives an error naming the path")
    func folderInTheWay() throws {
        let folder = try StoreFolder()
        try FileManager.default.createDirectory(atPath: folder.path, withIntermediateDirectories: true)
        let error = try #require(openFailure(folder.path))
        #expect(error == .cannotOpen(path: folder.path, reason: "it is a folder"))
        #expect(error.description.contains(folder.path))
    }

    @Test("a file SQLite cannot open gives cannotOpen naming the path")
    func unopenable() throws {
        let folder = try StoreFolder()
        // A dangling symbolic link inside a folder that does not allow creating its target.
        let target = folder.folder.url.appendingPathComponent("missing/deeper/shoal.sqlite").path
        try FileManager.default.createSymbolicLink(atPath: folder.path, withDestinationPath: target)
        let error = try #require(openFailure(folder.path))
        guard case .cannotOpen(let path, _) = error else {
            Issue.record("expected cannotOpen, got \(error)")
            return
        }
        #expect(path == folder.path)
    }
}
