import Foundation
import PieceStorage
import TestSupport
import Testing
import TorrentModel

/// Real full and read-only disks: a 1 MiB tmpfs, mounted per test.
@Suite struct DiskErrorTests {
    @Test func aFullDiskIsNamedAndThePieceIsNotHad() async throws {
        let disk = try TmpfsMount(sizeBytes: 1 << 20)
        let fixture = try TorrentFixture(
            pieceLength: 256 << 10, files: [.file("init.mp4", 1_000_000), .file("seg/000.m4s", 2_000_000)], seed: 4)
        let storage = FileStorage(
            metainfo: fixture.metainfo, saveFolder: disk.path,
            completion: MemoryCompletionState(pieceCount: fixture.pieceCount),
            pool: sharedPool)
        // Sparse files take no room, so preparing 3 MB on a 1 MiB disk works; writing does not.
        try await storage.prepare()
        var written: [Int] = []
        var failure: (piece: Int, error: StorageError)?
        for piece in 0..<fixture.pieceCount {
            do throws(StorageError) {
                #expect(try await storage.writeVerifiedPiece(piece, fixture.piece(piece)) == .verified)
                written.append(piece)
            } catch {
                failure = (piece, error)
                break
            }
        }
        let (piece, error) = try #require(failure)
        #expect(written == Array(0..<piece))
        #expect(written.count >= 2 && written.count <= 4)
        // Piece 3 holds the end of init.mp4 and the start of seg/000.m4s; either may hit the limit.
        guard case .diskFull(let path, let reason) = error else {
            Issue.record("expected a full disk, got \(error)")
            return
        }
        #expect([storage.diskPath(ofFile: 0), storage.diskPath(ofFile: 1)].contains(path))
        #expect(reason == "No space left on device")
        #expect(error.description == "\(path): no space left to write the download (No space left on device)")
        #expect(storage.completion.verified.setIndices == written)
        for piece in written {
            #expect(try await storage.readBlock(piece: piece, offset: 0, length: 256 << 10) == fixture.piece(piece))
        }
        try await storage.close()
    }

    @Test func aReadOnlyDiskCannotTakeADownload() async throws {
        let disk = try TmpfsMount(sizeBytes: 1 << 20)
        try disk.remount(readOnly: true)
        let fixture = try videoFixture()
        let storage = FileStorage(
            metainfo: fixture.metainfo, saveFolder: disk.path, completion: MemoryCompletionState(pieceCount: 7),
            pool: sharedPool)
        let error = await storageError { () async throws(StorageError) in try await storage.prepare() }
        #expect(error == .notWritable(path: disk.path + "/show", reason: "Read-only file system"))
        #expect(error?.description == "\(disk.path)/show: cannot write here (Read-only file system)")
    }

    @Test func completeDataOnAReadOnlyDiskCanStillBeSeeded() async throws {
        let disk = try TmpfsMount(sizeBytes: 1 << 20)
        let fixture = try videoFixture()
        let writer = FileStorage(
            metainfo: fixture.metainfo, saveFolder: disk.path, completion: MemoryCompletionState(pieceCount: 7),
            pool: sharedPool)
        try await writer.prepare()
        for piece in 0..<fixture.pieceCount where piece != 6 {
            #expect(try await writer.writeVerifiedPiece(piece, fixture.piece(piece)) == .verified)
        }
        try await writer.close()
        try disk.remount(readOnly: true)

        let seeder = FileStorage(
            metainfo: fixture.metainfo, saveFolder: disk.path, completion: MemoryCompletionState(pieceCount: 7),
            pool: sharedPool)
        try await seeder.prepare()
        #expect(try await seeder.recheck(progress: nil).description == "1111110")
        #expect(
            try await seeder.readBlock(piece: 2, offset: 16_384, length: 16_384) == Array(fixture.piece(2)[16_384...]))
        let error = await storageError { () async throws(StorageError) in
            try await seeder.writeVerifiedPiece(6, fixture.piece(6))
        }
        #expect(error == .notWritable(path: disk.path + "/show/seg/003.m4s", reason: "Read-only file system"))
        #expect(!seeder.completion.contains(6))
    }
}
