import PieceStorage
import Testing
import TorrentModel

@Suite struct MemoryStorageTests {
    @Test func padFilesHoldNothingAndFilesGetTheirLengths() async throws {
        let fixture = try videoFixture()
        let storage = MemoryStorage(metainfo: fixture.metainfo, completion: MemoryCompletionState(pieceCount: 7))
        try await storage.prepare()
        var lengths: [Int] = []
        for index in fixture.metainfo.files.indices { lengths.append(await storage.fileContents(index).count) }
        #expect(lengths == [1_000, 0, 40_000, 0, 70_000, 5, 0, 50_000])
    }

    @Test func injectedWriteFailuresLeaveThePieceMissing() async throws {
        let fixture = try videoFixture()
        let storage = MemoryStorage(metainfo: fixture.metainfo, completion: MemoryCompletionState(pieceCount: 7))
        try await storage.prepare()
        await storage.failWrites(with: .diskFull(path: "show/init.mp4", reason: "No space left on device"))
        let error = await storageError { () async throws(StorageError) in
            try await storage.writeVerifiedPiece(1, fixture.piece(1))
        }
        #expect(error == .diskFull(path: "show/init.mp4", reason: "No space left on device"))
        #expect(!storage.completion.contains(1))
        // A wrong piece is still reported as such, before any write is tried.
        #expect(try await storage.writeVerifiedPiece(1, fixture.piece(2)) == .hashMismatch)
        await storage.failWrites(with: nil)
        #expect(try await storage.writeVerifiedPiece(1, fixture.piece(1)) == .verified)
        try await storage.flush()
        #expect(await storage.flushCount == 1)
    }

    @Test func aSeededStoreServesNothingUntilRechecked() async throws {
        let fixture = try videoFixture()
        let storage = MemoryStorage(
            metainfo: fixture.metainfo, completion: MemoryCompletionState(pieceCount: 7), stream: fixture.stream)
        let error = await storageError { () async throws(StorageError) in
            try await storage.readBlock(piece: 0, offset: 0, length: 10)
        }
        #expect(error == .notVerified(piece: 0))
        #expect(try await storage.recheck().isComplete)
        #expect(try await storage.readRange(fileIndex: 7, range: 0..<50_000) == fixture.contents(ofFile: 7))
    }
}

@Suite struct MemoryCompletionStateTests {
    @Test func marksAndResets() {
        let state = MemoryCompletionState(pieceCount: 10)
        state.markVerified(3)
        state.markVerified(9)
        #expect(state.verified.description == "0001000001")
        #expect(state.contains(3) && !state.contains(4))
        #expect(!state.contains(-1) && !state.contains(10))
        state.markMissing(3)
        #expect(state.verified.setIndices == [9])
        state.reset(to: Bitfield(count: 10, allSet: true))
        #expect(state.verified.isComplete)
        #expect(MemoryCompletionState(Bitfield(count: 3, allSet: true)).pieceCount == 3)
    }
}
