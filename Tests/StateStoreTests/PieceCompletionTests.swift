import Foundation
import GRDB
import Testing
import TorrentModel

@testable import StateStore

@Suite("Piece completion")
struct PieceCompletionTests {
    @Test("a saved bitfield comes back bit for bit", arguments: [0, 1, 7, 8, 9, 1000, 1003])
    func roundTrip(count: Int) throws {
        let folder = try StoreFolder()
        let store = try folder.open()
        try store.addTorrent(fullRecord(1))
        #expect(try store.completion(infoHash: infoHash(1)) == nil)

        let pieces = (0..<count).filter { $0 % 3 == 0 || $0 == count - 1 }
        let saved = bitfield(count: count, set: pieces)
        try store.saveCompletion(infoHash: infoHash(1), bitfield: saved)
        let loaded = try #require(try store.completion(infoHash: infoHash(1)))
        #expect(loaded == saved)
        #expect(loaded.setIndices == pieces)

        let replaced = Bitfield(count: count, allSet: true)
        try store.saveCompletion(infoHash: infoHash(1), bitfield: replaced)
        #expect(try store.completion(infoHash: infoHash(1)) == replaced)
    }

    @Test("the blob is in wire order: piece 0 is the high bit of byte 0")
    func wireOrder() throws {
        let folder = try StoreFolder()
        let store = try folder.open()
        try store.addTorrent(fullRecord(1))
        try store.saveCompletion(infoHash: infoHash(1), bitfield: bitfield(count: 10, set: [0, 9]))
        let row = try #require(
            try store.pool.read { db in
                try Row.fetchOne(
                    db, sql: "SELECT pieceCount, bits FROM pieceCompletion WHERE infohash = ?",
                    arguments: [infoHash(1).hex])
            })
        #expect(row["pieceCount"] as Int == 10)
        #expect([UInt8](row["bits"] as Data) == [0b1000_0000, 0b0100_0000])
    }

    @Test("completion of a torrent that is not in the library is refused")
    func unknownTorrent() throws {
        let folder = try StoreFolder()
        let store = try folder.open()
        #expect(throws: StateStoreError.unknownTorrent(infoHash(4))) {
            try store.saveCompletion(infoHash: infoHash(4), bitfield: Bitfield(count: 3))
        }
    }

    @Test("a stored blob of the wrong length is reported, not trusted")
    func damagedBlob() throws {
        let folder = try StoreFolder()
        let store = try folder.open()
        try store.addTorrent(fullRecord(1))
        try store.pool.write { db in
            try db.execute(
                sql: "INSERT INTO pieceCompletion (infohash, pieceCount, bits) VALUES (?, 20, ?)",
                arguments: [infoHash(1).hex, Data([0xFF])])
        }
        let error = #expect(throws: StateStoreError.self) { try store.completion(infoHash: infoHash(1)) }
        guard case .invalidRecord(let message) = error else {
            Issue.record("expected invalidRecord, got \(String(describing: error))")
            return
        }
        #expect(message.contains("20 bits"))
    }
}
