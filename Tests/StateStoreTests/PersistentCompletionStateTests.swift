import Foundation
import PieceStorage
import StateStore
import Testing
import TorrentModel

@Suite("Persistent completion state")
struct PersistentCompletionStateTests {
    @Test("marks are visible at once, reach the database only at flush, and survive reopening")
    func durabilityOrder() throws {
        let folder = try StoreFolder()
        do {
            let store = try folder.open()
            try store.addTorrent(fullRecord(1))
            let completion = try PersistentCompletionState(store: store, infoHash: infoHash(1), pieceCount: 21)
            #expect(completion.wasRestored == false)
            #expect(completion.hasUnflushedChanges == false)

            completion.markVerified(0)
            completion.markVerified(20)
            completion.markVerified(7)
            #expect(completion.contains(0) && completion.contains(7) && completion.contains(20))
            #expect(!completion.contains(1))
            #expect(completion.verified == bitfield(count: 21, set: [0, 7, 20]))
            #expect(completion.hasUnflushedChanges)
            // Not durable yet: the database knows nothing until flush.
            #expect(try store.completion(infoHash: infoHash(1)) == nil)

            try completion.flush()
            #expect(!completion.hasUnflushedChanges)
            #expect(try store.completion(infoHash: infoHash(1)) == bitfield(count: 21, set: [0, 7, 20]))

            // A later mark again waits for the next flush.
            completion.markMissing(7)
            #expect(!completion.contains(7))
            #expect(try store.completion(infoHash: infoHash(1)) == bitfield(count: 21, set: [0, 7, 20]))
            try completion.flush()
            #expect(try store.completion(infoHash: infoHash(1)) == bitfield(count: 21, set: [0, 20]))

            completion.markVerified(3)  // never flushed: lost on reopen, as the durability rule intends
            try store.close()
        }
        let store = try folder.open()
        let reopened = try PersistentCompletionState(store: store, infoHash: infoHash(1), pieceCount: 21)
        #expect(reopened.wasRestored)
        #expect(reopened.verified == bitfield(count: 21, set: [0, 20]))
        #expect(reopened.contains(20) && !reopened.contains(3) && !reopened.contains(7))
        #expect(!reopened.hasUnflushedChanges)
    }

    @Test("marks that change nothing leave nothing to flush")
    func noOpMarks() throws {
        let folder = try StoreFolder()
        let store = try folder.open()
        try store.addTorrent(fullRecord(1))
        let completion = try PersistentCompletionState(store: store, infoHash: infoHash(1), pieceCount: 4)
        completion.markMissing(2)
        completion.reset(to: Bitfield(count: 4))
        #expect(!completion.hasUnflushedChanges)
        try completion.flush()
        #expect(try store.completion(infoHash: infoHash(1)) == nil)
        completion.markVerified(1)
        completion.markMissing(1)
        // Flipped and flipped back: still written, since the saved state may differ.
        #expect(completion.hasUnflushedChanges)
    }

    @Test("reset replaces the whole state and is flushed like a mark")
    func reset() throws {
        let folder = try StoreFolder()
        let store = try folder.open()
        try store.addTorrent(fullRecord(1))
        let completion = try PersistentCompletionState(store: store, infoHash: infoHash(1), pieceCount: 9)
        completion.reset(to: Bitfield(count: 9, allSet: true))
        #expect(completion.contains(8))
        #expect(try store.completion(infoHash: infoHash(1)) == nil)
        try completion.flush()
        #expect(try store.completion(infoHash: infoHash(1)) == Bitfield(count: 9, allSet: true))
    }

    @Test("out-of-range pieces are never contained")
    func outOfRange() throws {
        let folder = try StoreFolder()
        let store = try folder.open()
        try store.addTorrent(fullRecord(1))
        let completion = try PersistentCompletionState(store: store, infoHash: infoHash(1), pieceCount: 2)
        completion.reset(to: Bitfield(count: 2, allSet: true))
        #expect(!completion.contains(-1))
        #expect(!completion.contains(2))
        #expect(completion.pieceCount == 2)
    }

    @Test("a saved bitfield of another size is not trusted")
    func wrongSize() throws {
        let folder = try StoreFolder()
        let store = try folder.open()
        try store.addTorrent(fullRecord(1))
        try store.saveCompletion(infoHash: infoHash(1), bitfield: Bitfield(count: 5, allSet: true))
        let completion = try PersistentCompletionState(store: store, infoHash: infoHash(1), pieceCount: 6)
        #expect(!completion.wasRestored)
        #expect(completion.verified == Bitfield(count: 6))
    }

    @Test("a flush for a torrent removed from the library fails and keeps its changes")
    func flushFailure() throws {
        let folder = try StoreFolder()
        let store = try folder.open()
        try store.addTorrent(fullRecord(1))
        let completion = try PersistentCompletionState(store: store, infoHash: infoHash(1), pieceCount: 3)
        completion.markVerified(1)
        try store.removeTorrent(infoHash: infoHash(1))
        #expect(throws: StateStoreError.unknownTorrent(infoHash(1))) { try completion.flush() }
        #expect(completion.hasUnflushedChanges)
        try store.addTorrent(fullRecord(1))
        try completion.flush()
        #expect(try store.completion(infoHash: infoHash(1)) == bitfield(count: 3, set: [1]))
    }

    @Test("concurrent marks and flushes end with the database equal to memory")
    func concurrentMarksAndFlushes() async throws {
        let folder = try StoreFolder()
        let store = try folder.open()
        try store.addTorrent(fullRecord(1))
        let completion = try PersistentCompletionState(store: store, infoHash: infoHash(1), pieceCount: 400)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for piece in stride(from: worker, to: 400, by: 4) {
                        completion.markVerified(piece)
                        if piece % 40 == worker { try completion.flush() }
                    }
                }
            }
            try await group.waitForAll()
        }
        try completion.flush()
        #expect(!completion.hasUnflushedChanges)
        #expect(completion.verified.isComplete)
        #expect(try store.completion(infoHash: infoHash(1)) == Bitfield(count: 400, allSet: true))
    }

    @Test("it works as a CompletionState for a piece store")
    func servesAPieceStore() throws {
        let folder = try StoreFolder()
        let store = try folder.open()
        try store.addTorrent(fullRecord(1))
        let completion: any CompletionState = try PersistentCompletionState(
            store: store, infoHash: infoHash(1), pieceCount: 3)
        completion.markVerified(2)
        #expect(completion.verified == bitfield(count: 3, set: [2]))
    }
}
