import Foundation
import PieceStorage
import TestSupport
import Testing
import TorrentModel

/// The two stores behind `PieceStore`; the rules below hold for both.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible {
    case disk, memory

    var testDescription: String { rawValue }
}

/// A store of either kind for `fixture`, with the folder that must outlive it (disk only).
struct StoreUnderTest {
    let store: any PieceStore
    let folder: TemporaryDirectory?

    init(_ kind: StoreKind, _ fixture: TorrentFixture) throws {
        switch kind {
        case .disk:
            let folder = try TemporaryDirectory()
            self.folder = folder
            store = makeFileStorage(fixture, in: folder)
        case .memory:
            folder = nil
            store = MemoryStorage(
                metainfo: fixture.metainfo, completion: MemoryCompletionState(pieceCount: fixture.pieceCount))
        }
    }

    /// What file `index` holds now, on disk or in memory (nil when it does not exist on disk).
    func contents(ofFile index: Int) async -> [UInt8]? {
        if let storage = store as? MemoryStorage { return await storage.fileContents(index) }
        let storage = store as! FileStorage
        return diskContents(storage.diskPath(ofFile: index))
    }
}

@Suite struct ReadWriteTests {
    @Test(arguments: StoreKind.allCases)
    func writtenPiecesReadBackAcrossFilesAndPads(kind: StoreKind) async throws {
        let fixture = try videoFixture()
        let subject = try StoreUnderTest(kind, fixture)
        let store = subject.store
        try await store.prepare()
        for piece in [6, 0, 3, 5, 1, 4, 2] {
            #expect(try await store.writeVerifiedPiece(piece, fixture.piece(piece)) == .verified)
        }
        #expect(store.completion.verified.isComplete)
        for piece in 0..<fixture.pieceCount {
            for block in fixture.metainfo.geometry.blocks(inPiece: piece) {
                let bytes = try await store.readBlock(piece: piece, offset: block.offset, length: block.length)
                #expect(bytes == Array(fixture.piece(piece)[block.offset..<(block.offset + block.length)]))
            }
        }
        for index in fixture.metainfo.files.indices where !fixture.metainfo.files[index].isPadding {
            #expect(await subject.contents(ofFile: index) == fixture.contents(ofFile: index))
        }
        // An odd range inside piece 5, crossing from seg/000.m4s through seg/001.m4s into seg/003.m4s.
        #expect(
            try await store.readBlock(piece: 5, offset: 4_000, length: 1_000) == Array(fixture.piece(5)[4_000..<5_000]))
        try await store.flush()
        try await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func wrongBytesAreRefusedAndNeverServed(kind: StoreKind) async throws {
        let fixture = try videoFixture()
        let subject = try StoreUnderTest(kind, fixture)
        let store = subject.store
        try await store.prepare()
        var bad = fixture.piece(3)
        bad[12_345] ^= 0x01
        #expect(try await store.writeVerifiedPiece(3, bad) == .hashMismatch)
        #expect(!store.completion.contains(3))
        let onDisk = await subject.contents(ofFile: 4) ?? []
        #expect(onDisk.count == 70_000)
        // The file store hashes and writes a slice at a time, so a refused piece's bytes may sit on disk (never
        // counted, never served, overwritten by the next copy); the memory store checks before it copies.
        if kind == .memory { #expect(onDisk.allSatisfy { $0 == 0 }) }
        let error = await storageError { () async throws(StorageError) in
            try await store.readBlock(piece: 3, offset: 0, length: 16_384)
        }
        #expect(error == .notVerified(piece: 3))
        // A piece that is had stays had when a wrong copy arrives, and its bytes stay right.
        #expect(try await store.writeVerifiedPiece(3, fixture.piece(3)) == .verified)
        #expect(try await store.writeVerifiedPiece(3, bad) == .hashMismatch)
        #expect(store.completion.contains(3))
        #expect(try await store.readBlock(piece: 3, offset: 0, length: 32_768) == fixture.piece(3))
    }

    @Test(arguments: StoreKind.allCases)
    func unverifiedPiecesCannotBeRead(kind: StoreKind) async throws {
        let fixture = try videoFixture()
        let store = try StoreUnderTest(kind, fixture).store
        try await store.prepare()
        #expect(try await store.writeVerifiedPiece(4, fixture.piece(4)) == .verified)
        for piece in [0, 3, 5, 6] {
            let error = await storageError { () async throws(StorageError) in
                try await store.readBlock(piece: piece, offset: 0, length: 100)
            }
            #expect(error == .notVerified(piece: piece))
        }
        // The HTTP server's reads: seg/000.m4s spans pieces 3–5, of which only 4 is had.
        let segment = fixture.fileIndex("seg/000.m4s")
        let within = 32_768..<65_536 as Range<Int64>
        #expect(
            try await store.readRange(fileIndex: segment, range: within)
                == Array(fixture.contents(ofFile: segment)[32_768..<65_536]))
        let spanning = await storageError { () async throws(StorageError) in
            try await store.readRange(fileIndex: segment, range: 30_000..<40_000)
        }
        #expect(spanning == .notVerified(piece: 3))
        let tail = await storageError { () async throws(StorageError) in
            try await store.readRange(fileIndex: segment, range: 60_000..<70_000)
        }
        #expect(tail == .notVerified(piece: 5))
    }

    @Test(arguments: StoreKind.allCases)
    func requestsOutsideTheTorrentAreRefused(kind: StoreKind) async throws {
        let fixture = try videoFixture()
        let store = try StoreUnderTest(kind, fixture).store
        try await store.prepare()
        for piece in 0..<fixture.pieceCount {
            #expect(try await store.writeVerifiedPiece(piece, fixture.piece(piece)) == .verified)
        }
        let wrongSize = await storageError { () async throws(StorageError) in
            try await store.writeVerifiedPiece(6, fixture.piece(5))
        }
        #expect(wrongSize == .outOfRange("piece 6 is 21701 bytes, got 32768"))
        let noSuchPiece = await storageError { () async throws(StorageError) in
            try await store.writeVerifiedPiece(7, [])
        }
        #expect(noSuchPiece == .outOfRange("piece 7 of 7"))
        let pastPiece = await storageError { () async throws(StorageError) in
            try await store.readBlock(piece: 6, offset: 16_384, length: 16_384)
        }
        #expect(pastPiece == .outOfRange("16384 bytes at 16384 in piece 6 of 21701 bytes"))
        let negative = await storageError { () async throws(StorageError) in
            try await store.readBlock(piece: 0, offset: -1, length: 1)
        }
        #expect(negative == .outOfRange("1 bytes at -1 in piece 0 of 32768 bytes"))
        let empty = await storageError { () async throws(StorageError) in
            try await store.readBlock(piece: 0, offset: 0, length: 0)
        }
        #expect(empty == .outOfRange("0 bytes at 0 in piece 0 of 32768 bytes"))
        let pad = await storageError { () async throws(StorageError) in
            try await store.readRange(fileIndex: 1, range: 0..<10)
        }
        #expect(pad == .outOfRange("file 1 is a pad file"))
        let pastFile = await storageError { () async throws(StorageError) in
            try await store.readRange(fileIndex: 0, range: 900..<1_001)
        }
        #expect(pastFile == .outOfRange("bytes 900..<1001 of a 1000-byte file"))
        let noFile = await storageError { () async throws(StorageError) in
            try await store.readRange(fileIndex: 8, range: 0..<1)
        }
        #expect(noFile == .outOfRange("file 8 of 8"))
        #expect(try await store.readRange(fileIndex: 6, range: 0..<0) == [])
    }

    @Test(arguments: StoreKind.allCases)
    func aClosedStoreRefusesEverything(kind: StoreKind) async throws {
        let fixture = try videoFixture()
        let store = try StoreUnderTest(kind, fixture).store
        try await store.prepare()
        #expect(try await store.writeVerifiedPiece(0, fixture.piece(0)) == .verified)
        try await store.close()
        try await store.close()
        let write = await storageError { () async throws(StorageError) in
            try await store.writeVerifiedPiece(1, fixture.piece(1))
        }
        #expect(write == .closed)
        let read = await storageError { () async throws(StorageError) in
            try await store.readBlock(piece: 0, offset: 0, length: 10)
        }
        #expect(read == .closed)
        let recheck = await storageError { () async throws(StorageError) in try await store.recheck(progress: nil) }
        #expect(recheck == .closed)
        let flush = await storageError { () async throws(StorageError) in try await store.flush() }
        #expect(flush == .closed)
    }

    @Test(arguments: StoreKind.allCases)
    func aFileCutShortAfterVerificationIsCaughtOnRead(kind: StoreKind) async throws {
        let fixture = try videoFixture()
        let subject = try StoreUnderTest(kind, fixture)
        let store = subject.store
        try await store.prepare()
        for piece in 0..<fixture.pieceCount {
            #expect(try await store.writeVerifiedPiece(piece, fixture.piece(piece)) == .verified)
        }
        let segment = fixture.fileIndex("seg/000.m4s")
        let kept = Array(fixture.contents(ofFile: segment).prefix(40_000))
        if let memory = store as? MemoryStorage {
            await memory.overwriteFile(segment, with: kept)
        } else {
            #expect(truncate((store as! FileStorage).diskPath(ofFile: segment), 40_000) == 0)
        }
        // seg/000.m4s starts at 98,304: byte 40,000 of it is in piece 4, so pieces 4 and 5 are gone.
        let error = await storageError { () async throws(StorageError) in
            try await store.readBlock(piece: 5, offset: 0, length: 16_384)
        }
        let path = (store as? FileStorage)?.diskPath(ofFile: segment) ?? "show/seg/000.m4s"
        #expect(error == .changedOnDisk(path: path))
        #expect(store.completion.verified.description == "1111001")
        // Bytes before the cut are still served.
        #expect(
            try await store.readBlock(piece: 3, offset: 0, length: 16_384) == Array(fixture.piece(3).prefix(16_384)))
    }
}
