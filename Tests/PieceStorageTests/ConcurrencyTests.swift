import PieceStorage
import TestSupport
import Testing
import TorrentModel

@Suite struct ConcurrencyTests {
    /// 96 pieces over 12 files with pad files, written in a shuffled order by concurrent tasks while
    /// other tasks read: every read returns the right bytes or `.notVerified`, never anything else.
    /// Two open descriptors at most, so the handle cache evicts files that other threads still use.
    @Test(arguments: StoreKind.allCases)
    func concurrentWritesAndReadsNeverServeWrongBytes(kind: StoreKind) async throws {
        var specs: [FileSpec] = []
        for index in 0..<12 {
            specs.append(.file("seg/\(index).m4s", 100_000 + index * 3_000))
            if index % 3 == 0 { specs.append(.pad(16_384 - (100_000 + index * 3_000) % 16_384)) }
        }
        let fixture = try TorrentFixture(pieceLength: 16_384, files: specs, seed: 11)
        let store: any PieceStore
        let folder = try TemporaryDirectory()
        switch kind {
        case .disk:
            store = makeFileStorage(fixture, in: folder, settings: StorageSettings(maximumOpenFiles: 2))
        case .memory:
            store = MemoryStorage(
                metainfo: fixture.metainfo, completion: MemoryCompletionState(pieceCount: fixture.pieceCount))
        }
        try await store.prepare()
        var random = SeededRandom(seed: 5)
        var order = Array(0..<fixture.pieceCount)
        for index in order.indices.reversed() { order.swapAt(index, random.below(index + 1)) }

        let wrongReads = try await withThrowingTaskGroup(of: Int.self) { group in
            for piece in order {
                group.addTask { () async throws -> Int in
                    #expect(try await store.writeVerifiedPiece(piece, fixture.piece(piece)) == .verified)
                    return 0
                }
                group.addTask { () async throws -> Int in
                    let target = (piece * 7) % fixture.pieceCount
                    do {
                        let bytes = try await store.readBlock(piece: target, offset: 0, length: 1_000)
                        return bytes == Array(fixture.piece(target).prefix(1_000)) ? 0 : 1
                    } catch StorageError.notVerified(piece: target) {
                        return 0
                    }
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(wrongReads == 0)
        #expect(store.completion.verified.isComplete)

        let mismatches = try await withThrowingTaskGroup(of: Int.self) { group in
            for piece in 0..<fixture.pieceCount {
                group.addTask { () async throws -> Int in
                    let length = fixture.metainfo.geometry.length(ofPiece: piece)
                    let bytes = try await store.readBlock(piece: piece, offset: 0, length: length)
                    return bytes == fixture.piece(piece) ? 0 : 1
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(mismatches == 0)
        try await store.close()
    }
}
