import Foundation
import Glibc
import PieceStorage
import TestSupport
import Testing
import TorrentModel

@Suite struct RecheckTests {
    /// Writes the complete torrent straight to disk, as a previous run (or another client) left it.
    func writeComplete(_ fixture: TorrentFixture, to folder: TemporaryDirectory) throws {
        for (index, file) in fixture.metainfo.files.enumerated() where !file.isPadding {
            try folder.write(Data(fixture.contents(ofFile: index)), to: "show/" + file.pathString)
        }
    }

    @Test func findsExactlyThePiecesWhoseBytesAreRight() async throws {
        let fixture = try videoFixture()
        let folder = try TemporaryDirectory()
        try writeComplete(fixture, to: folder)
        let storage = makeFileStorage(fixture, in: folder)
        let progress = RecheckProgress()
        #expect(try await storage.recheck(progress: progress).description == "1111111")
        #expect(progress.checkedPieces == 7)
        #expect(progress.checkedBytes == 218_309)

        // One flipped byte near the end of init.mp4 (piece 2), seg/000.m4s cut to 10,000 bytes
        // (pieces 3–5, which also hold the intact seg/001 and seg/003), master.m3u8 deleted (piece 0).
        try patch(folder.path + "/show/init.mp4", at: 39_999, with: [fixture.contents(ofFile: 2)[39_999] ^ 0xFF])
        #expect(truncate(folder.path + "/show/seg/000.m4s", 10_000) == 0)
        try FileManager.default.removeItem(atPath: folder.path + "/show/master.m3u8")
        let found = try await storage.recheck(progress: nil)
        #expect(found.description == "0100001")
        #expect(storage.completion.verified == found)
        let refused = await storageError { () async throws(StorageError) in
            try await storage.readBlock(piece: 2, offset: 0, length: 16)
        }
        #expect(refused == .notVerified(piece: 2))
        #expect(try await storage.readBlock(piece: 6, offset: 0, length: 21_701) == fixture.piece(6))
    }

    @Test func nothingOnDiskIsNothingHadAndNotAnError() async throws {
        let fixture = try videoFixture()
        let folder = try TemporaryDirectory()
        let storage = FileStorage(
            metainfo: fixture.metainfo, saveFolder: folder.path + "/not-yet",
            completion: MemoryCompletionState(pieceCount: 7),
            pool: sharedPool)
        #expect(try await storage.recheck(progress: nil).isEmpty)
        // A recheck creates nothing.
        #expect(listing(folder.path).isEmpty)
    }

    @Test func forgetsPiecesThatWereMarkedWithoutTheirBytes() async throws {
        let fixture = try videoFixture()
        let folder = try TemporaryDirectory()
        let completion = MemoryCompletionState(Bitfield(count: 7, allSet: true))
        let storage = FileStorage(
            metainfo: fixture.metainfo, saveFolder: folder.path, completion: completion, pool: sharedPool)
        try await storage.prepare()
        #expect(try await storage.writeVerifiedPiece(6, fixture.piece(6)) == .verified)
        #expect(try await storage.recheck(progress: nil).description == "0000000")
        #expect(try await storage.writeVerifiedPiece(6, fixture.piece(6)) == .verified)
        #expect(try await storage.recheck(progress: nil).description == "0000001")
    }

    /// Enough pieces for several 4 MiB chunks on several threads, across many files.
    @Test func checksManyChunksInParallel() async throws {
        let files = (0..<12).map { FileSpec.file("seg/\($0).m4s", 700_000 + $0 * 1_001) }
        let fixture = try TorrentFixture(pieceLength: 16_384, files: files, seed: 9)
        let folder = try TemporaryDirectory()
        for (index, file) in fixture.metainfo.files.enumerated() {
            try folder.write(Data(fixture.contents(ofFile: index)), to: "show/" + file.pathString)
        }
        let corrupt = fixture.fileIndex("seg/7.m4s")
        let corruptOffset = 345_678
        try patch(
            folder.path + "/show/seg/7.m4s", at: corruptOffset,
            with: [fixture.contents(ofFile: corrupt)[corruptOffset] ^ 1])
        let badPiece = Int((fixture.metainfo.files[corrupt].offset + Int64(corruptOffset)) / 16_384)
        let storage = FileStorage(
            metainfo: fixture.metainfo, saveFolder: folder.path,
            completion: MemoryCompletionState(pieceCount: fixture.pieceCount),
            pool: sharedPool, settings: StorageSettings(hashThreadCount: 4))
        let progress = RecheckProgress()
        let found = try await storage.recheck(progress: progress)
        #expect(fixture.pieceCount > 2 * (4 << 20) / 16_384)
        #expect(found.setCount == fixture.pieceCount - 1)
        #expect(!found[badPiece])
        #expect(progress.checkedPieces == fixture.pieceCount)
        #expect(progress.checkedBytes == fixture.metainfo.totalLength)
    }

    @Test func memoryStorageRechecksTheSameWay() async throws {
        let fixture = try videoFixture()
        var stream = fixture.stream
        stream[40_000] ^= 0x10
        let storage = MemoryStorage(
            metainfo: fixture.metainfo, completion: MemoryCompletionState(pieceCount: 7), stream: stream)
        #expect(try await storage.recheck().description == "1011111")
        await storage.overwriteFile(fixture.fileIndex("seg/003.m4s"), with: [1, 2, 3])
        #expect(try await storage.recheck().description == "1011100")
    }

    @Test func aCancelledRecheckStops() async throws {
        let metainfo = try unhashedMetainfo(name: "big.mkv", pieceLength: 16_384, length: 64 << 20)
        let folder = try TemporaryDirectory()
        let storage = FileStorage(
            metainfo: metainfo, saveFolder: folder.path,
            completion: MemoryCompletionState(pieceCount: metainfo.pieceCount),
            pool: sharedPool, settings: StorageSettings(hashThreadCount: 1))
        try await storage.prepare()
        let progress = RecheckProgress()
        let task = Task { () async throws(StorageError) -> Bitfield in try await storage.recheck(progress: progress) }
        task.cancel()
        let result = await task.result
        #expect(throws: StorageError.cancelled) { try result.get() }
        #expect(progress.checkedPieces < metainfo.pieceCount)
    }
}
