import PieceStorage
import StateStore
import Testing
import TorrentModel

/// The node's durability order: snapshot, fsync the data, then record the snapshot.
@Suite("Completion snapshots")
struct CompletionSnapshotTests {
    @Test("a flushed snapshot records what was verified before the fsync, not what came during it")
    func laterMarksWait() throws {
        let folder = try StoreFolder()
        let store = try folder.open()
        try store.addTorrent(fullRecord(1))
        let completion = try PersistentCompletionState(store: store, infoHash: infoHash(1), pieceCount: 10)
        completion.markVerified(1)
        completion.markVerified(2)
        let snapshot = completion.snapshot()
        completion.markVerified(5)  // verified while the data was being fsynced
        try completion.flush(snapshot)
        #expect(try store.completion(infoHash: infoHash(1)) == bitfield(count: 10, set: [1, 2]))
        #expect(completion.hasUnflushedChanges)
        try completion.flush(completion.snapshot())
        #expect(try store.completion(infoHash: infoHash(1)) == bitfield(count: 10, set: [1, 2, 5]))
        #expect(!completion.hasUnflushedChanges)
    }

    @Test("a piece marked missing after the snapshot is left out of it")
    func missingMeanwhileIsLeftOut() throws {
        let folder = try StoreFolder()
        let store = try folder.open()
        try store.addTorrent(fullRecord(1))
        let completion = try PersistentCompletionState(store: store, infoHash: infoHash(1), pieceCount: 10)
        completion.markVerified(1)
        completion.markVerified(2)
        let snapshot = completion.snapshot()
        completion.markMissing(2)  // its file was truncated meanwhile
        try completion.flush(snapshot)
        #expect(try store.completion(infoHash: infoHash(1)) == bitfield(count: 10, set: [1]))
        #expect(completion.hasUnflushedChanges)
    }

    @Test("a snapshot already flushed writes nothing again")
    func flushedSnapshotIsANoOp() throws {
        let folder = try StoreFolder()
        let store = try folder.open()
        try store.addTorrent(fullRecord(1))
        let completion = try PersistentCompletionState(store: store, infoHash: infoHash(1), pieceCount: 10)
        completion.markVerified(3)
        let snapshot = completion.snapshot()
        try completion.flush(snapshot)
        try store.saveCompletion(infoHash: infoHash(1), bitfield: bitfield(count: 10, set: [3, 4]))
        try completion.flush(snapshot)
        #expect(try store.completion(infoHash: infoHash(1)) == bitfield(count: 10, set: [3, 4]))
    }
}
