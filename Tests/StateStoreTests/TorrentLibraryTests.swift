import Foundation
import StateStore
import Testing
import TorrentModel

/// The same behaviour is required of the SQLite library and the in-memory one, so every test runs on both.
enum LibraryKind: String, CaseIterable, CustomTestStringConvertible {
    case sqlite, memory

    var testDescription: String { rawValue }

    /// A fresh, empty library; the folder (nil for memory) must outlive it.
    func make() throws -> (any TorrentLibrary, StoreFolder?) {
        switch self {
        case .sqlite:
            let folder = try StoreFolder()
            return (try folder.open(), folder)
        case .memory:
            return (MemoryTorrentLibrary(), nil)
        }
    }
}

@Suite("Torrent library")
struct TorrentLibraryTests {
    @Test("a full record and a magnet record come back field for field", arguments: LibraryKind.allCases)
    func roundTrip(kind: LibraryKind) throws {
        let (library, folder) = try kind.make()
        defer { withExtendedLifetime(folder) {} }
        try library.addTorrent(fullRecord(1))
        try library.addTorrent(magnetRecord(2))
        #expect(try library.torrent(infoHash: infoHash(1)) == fullRecord(1))
        #expect(try library.torrent(infoHash: infoHash(2)) == magnetRecord(2))
        #expect(try library.torrent(infoHash: infoHash(2))?.metainfo == nil)
        #expect(try library.torrent(infoHash: infoHash(3)) == nil)
    }

    @Test("allTorrents orders by queue position, then age, then infohash", arguments: LibraryKind.allCases)
    func ordering(kind: LibraryKind) throws {
        let (library, folder) = try kind.make()
        defer { withExtendedLifetime(folder) {} }
        var late = fullRecord(9, queuePosition: 0)
        late.addedAt = date(1_800_000_000)
        var sameTimeA = fullRecord(5, queuePosition: 0)
        sameTimeA.addedAt = date(1_700_000_000)
        var sameTimeB = fullRecord(4, queuePosition: 0)
        sameTimeB.addedAt = date(1_700_000_000)
        let queuedLast = fullRecord(1, queuePosition: 7)
        for record in [queuedLast, late, sameTimeA, sameTimeB] { try library.addTorrent(record) }
        #expect(try library.allTorrents().map(\.infoHash) == [infoHash(4), infoHash(5), infoHash(9), infoHash(1)])
    }

    @Test("each setter changes its field and nothing else", arguments: LibraryKind.allCases)
    func setters(kind: LibraryKind) throws {
        let (library, folder) = try kind.make()
        defer { withExtendedLifetime(folder) {} }
        var expected = magnetRecord(2)
        try library.addTorrent(expected)

        try library.setState(.paused, for: expected.infoHash)
        expected.state = .paused
        #expect(try library.torrent(infoHash: expected.infoHash) == expected)

        try library.setFilePriorities([0, 1, 1, 5], for: expected.infoHash)
        expected.filePriorities = [0, 1, 1, 5]
        #expect(try library.torrent(infoHash: expected.infoHash) == expected)

        try library.setQueuePosition(-4, for: expected.infoHash)
        expected.queuePosition = -4
        #expect(try library.torrent(infoHash: expected.infoHash) == expected)

        try library.setMetainfo([1, 2, 3, 0, 255], for: expected.infoHash)
        expected.metainfo = [1, 2, 3, 0, 255]
        #expect(try library.torrent(infoHash: expected.infoHash) == expected)

        try library.setCompletedAt(date(1_750_000_000), for: expected.infoHash)
        expected.completedAt = date(1_750_000_000)
        #expect(try library.torrent(infoHash: expected.infoHash) == expected)

        try library.setCompletedAt(nil, for: expected.infoHash)
        expected.completedAt = nil
        #expect(try library.torrent(infoHash: expected.infoHash) == expected)

        for state in TorrentRunState.allCases {
            try library.setState(state, for: expected.infoHash)
            #expect(try library.torrent(infoHash: expected.infoHash)?.state == state)
        }
    }

    @Test("setters on a torrent that is not there throw unknownTorrent", arguments: LibraryKind.allCases)
    func unknownTorrent(kind: LibraryKind) throws {
        let (library, folder) = try kind.make()
        defer { withExtendedLifetime(folder) {} }
        let missing = infoHash(7)
        #expect(throws: StateStoreError.unknownTorrent(missing)) { try library.setState(.paused, for: missing) }
        #expect(throws: StateStoreError.unknownTorrent(missing)) { try library.setFilePriorities([1], for: missing) }
        #expect(throws: StateStoreError.unknownTorrent(missing)) { try library.setQueuePosition(1, for: missing) }
        #expect(throws: StateStoreError.unknownTorrent(missing)) { try library.setMetainfo([1], for: missing) }
        #expect(throws: StateStoreError.unknownTorrent(missing)) { try library.setCompletedAt(nil, for: missing) }
        #expect(try library.removeTorrent(infoHash: missing) == false)
    }

    @Test("adding twice, or with neither metainfo nor magnet, is refused", arguments: LibraryKind.allCases)
    func refusedAdds(kind: LibraryKind) throws {
        let (library, folder) = try kind.make()
        defer { withExtendedLifetime(folder) {} }
        try library.addTorrent(fullRecord(1))
        #expect(throws: StateStoreError.duplicateTorrent(infoHash(1))) { try library.addTorrent(fullRecord(1)) }

        var nothing = magnetRecord(2)
        nothing.magnet = nil
        let error = #expect(throws: StateStoreError.self) { try library.addTorrent(nothing) }
        guard case .invalidRecord(let message) = error else {
            Issue.record("expected invalidRecord, got \(String(describing: error))")
            return
        }
        #expect(message.contains(infoHash(2).hex))
        #expect(try library.allTorrents().map(\.infoHash) == [infoHash(1)])
    }

    @Test("removeTorrent removes only that torrent", arguments: LibraryKind.allCases)
    func remove(kind: LibraryKind) throws {
        let (library, folder) = try kind.make()
        defer { withExtendedLifetime(folder) {} }
        try library.addTorrent(fullRecord(1))
        try library.addTorrent(fullRecord(2))
        #expect(try library.removeTorrent(infoHash: infoHash(1)) == true)
        #expect(try library.torrent(infoHash: infoHash(1)) == nil)
        #expect(try library.allTorrents().map(\.infoHash) == [infoHash(2)])
    }

    @Test("the library survives closing and reopening the file")
    func reopen() throws {
        let folder = try StoreFolder()
        do {
            let store = try folder.open()
            try store.addTorrent(fullRecord(1))
            try store.addTorrent(magnetRecord(2))
            try store.setState(.paused, for: infoHash(2))
            try store.close()
        }
        let store = try folder.open()
        var paused = magnetRecord(2)
        paused.state = .paused
        #expect(try store.allTorrents() == [paused, fullRecord(1)])
    }
}
