import Foundation
import Glibc
import PieceStorage
import TestSupport
import Testing
import TorrentModel

@Suite struct PrepareTests {
    @Test func createsDataFilesAtTheirExactSizesAndNoPadFiles() async throws {
        let fixture = try videoFixture()
        let folder = try TemporaryDirectory()
        let storage = makeFileStorage(fixture, in: folder)
        try await storage.prepare()
        #expect(
            listing(folder.path) == [
                "show", "show/init.mp4", "show/master.m3u8", "show/seg", "show/seg/000.m4s", "show/seg/001.m4s",
                "show/seg/002.m4s", "show/seg/003.m4s",
            ])
        let sizes = fixture.metainfo.dataFiles.map { fileStatus(folder.path + "/show/" + $0.pathString)?.st_size }
        #expect(sizes == [1_000, 40_000, 70_000, 5, 0, 50_000])
        #expect(storage.diskPath(ofFile: 2) == folder.path + "/show/init.mp4")
        // Nothing counts as had just because files exist.
        #expect(storage.completion.verified.isEmpty)
    }

    @Test func preallocatesSparselyWithoutWritingZeros() async throws {
        let gigabyte = 1 << 30
        let metainfo = try unhashedMetainfo(name: "big.mkv", pieceLength: 16 << 20, length: gigabyte)
        let folder = try TemporaryDirectory()
        let storage = FileStorage(
            metainfo: metainfo, saveFolder: folder.path, completion: MemoryCompletionState(pieceCount: 64),
            pool: sharedPool)
        try await storage.prepare()
        let status = try #require(fileStatus(folder.path + "/big.mkv"))
        #expect(status.st_size == Int(gigabyte))
        // st_blocks counts 512-byte units actually allocated: a written file would have two million.
        #expect(status.st_blocks * 512 < 1 << 20)
    }

    @Test func keepsExistingFilesOfTheRightSizeAndCutsLongerOnes() async throws {
        let fixture = try videoFixture()
        let folder = try TemporaryDirectory()
        let initBytes = fixture.contents(ofFile: 2)
        try folder.write(Data(initBytes), to: "show/init.mp4")
        try folder.write(Data(fixture.contents(ofFile: 0) + [1, 2, 3]), to: "show/master.m3u8")
        try folder.write(Data([7, 7]), to: "show/seg/003.m4s")
        let storage = makeFileStorage(fixture, in: folder)
        try await storage.prepare()
        #expect(diskContents(folder.path + "/show/init.mp4") == initBytes)
        #expect(diskContents(folder.path + "/show/master.m3u8") == fixture.contents(ofFile: 0))
        let grown = try #require(diskContents(folder.path + "/show/seg/003.m4s"))
        #expect(grown.count == 50_000)
        #expect(grown.prefix(3) == [7, 7, 0])
        // The kept data counts once a recheck has seen it: pieces 0 (master + pad) and 1–2 (init + pad).
        #expect(try await storage.recheck().description == "1110000")
    }

    @Test func preparingTwiceChangesNothing() async throws {
        let fixture = try videoFixture()
        let folder = try TemporaryDirectory()
        let storage = makeFileStorage(fixture, in: folder)
        try await storage.prepare()
        #expect(try await storage.writeVerifiedPiece(1, fixture.piece(1)) == .verified)
        try await storage.prepare()
        #expect(
            try await storage.readBlock(piece: 1, offset: 0, length: 16_384) == Array(fixture.piece(1).prefix(16_384)))
    }

    @Test func singleFileTorrentIsOneFileInTheSaveFolder() async throws {
        let fixture = try TorrentFixture(singleFileNamed: "movie.mp4", pieceLength: 16_384, length: 50_000)
        let folder = try TemporaryDirectory()
        let storage = makeFileStorage(fixture, in: folder)
        try await storage.prepare()
        #expect(listing(folder.path) == ["movie.mp4"])
        #expect(fileStatus(folder.path + "/movie.mp4")?.st_size == 50_000)
    }

    @Test func createsAMissingSaveFolderWithItsParents() async throws {
        let fixture = try videoFixture()
        let folder = try TemporaryDirectory()
        let storage = FileStorage(
            metainfo: fixture.metainfo, saveFolder: folder.path + "/a/b/",
            completion: MemoryCompletionState(pieceCount: 7),
            pool: sharedPool)
        #expect(storage.saveFolder == folder.path + "/a/b")
        try await storage.prepare()
        #expect(fileStatus(folder.path + "/a/b/show/seg/003.m4s")?.st_size == 50_000)
    }

    @Test func refusesASymbolicLinkInPlaceOfTheTorrentFolder() async throws {
        let fixture = try videoFixture()
        let folder = try TemporaryDirectory()
        let outside = try TemporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/show", withDestinationPath: outside.path)
        let storage = makeFileStorage(fixture, in: folder)
        let error = await storageError { () async throws(StorageError) in try await storage.prepare() }
        #expect(error == .symbolicLinkRefused(path: folder.path + "/show"))
        #expect(
            error?.description
                == "\(folder.path)/show: is a symbolic link; links inside a download folder are not followed")
        #expect(listing(outside.path).isEmpty)
    }

    @Test func refusesASymbolicLinkDeeperDown() async throws {
        let fixture = try videoFixture()
        let folder = try TemporaryDirectory()
        let outside = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: folder.path + "/show", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/show/seg", withDestinationPath: outside.path)
        let storage = makeFileStorage(fixture, in: folder)
        let error = await storageError { () async throws(StorageError) in try await storage.prepare() }
        #expect(error == .symbolicLinkRefused(path: folder.path + "/show/seg"))
        #expect(listing(outside.path).isEmpty)
    }

    @Test func refusesASymbolicLinkInPlaceOfAFile() async throws {
        let fixture = try videoFixture()
        let folder = try TemporaryDirectory()
        let outside = try TemporaryDirectory()
        let victim = try outside.write(Data("keep me".utf8), to: "victim")
        try FileManager.default.createDirectory(atPath: folder.path + "/show", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: folder.path + "/show/init.mp4", withDestinationPath: victim.path)
        let storage = makeFileStorage(fixture, in: folder)
        let error = await storageError { () async throws(StorageError) in try await storage.prepare() }
        #expect(error == .symbolicLinkRefused(path: folder.path + "/show/init.mp4"))
        // Not resized to 40,000 bytes through the link.
        #expect(fileStatus(victim.path)?.st_size == 7)
        #expect(diskContents(victim.path).map { String(decoding: $0, as: UTF8.self) } == "keep me")
        // A recheck does not read through links either.
        let recheckError = await storageError { () async throws(StorageError) in try await storage.recheck() }
        #expect(recheckError == .symbolicLinkRefused(path: folder.path + "/show/init.mp4"))
    }

    @Test func refusesToCreateAFileThroughADanglingLink() async throws {
        let fixture = try videoFixture()
        let folder = try TemporaryDirectory()
        let outside = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: folder.path + "/show", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: folder.path + "/show/master.m3u8", withDestinationPath: outside.path + "/created")
        let storage = makeFileStorage(fixture, in: folder)
        let error = await storageError { () async throws(StorageError) in try await storage.prepare() }
        #expect(error == .symbolicLinkRefused(path: folder.path + "/show/master.m3u8"))
        #expect(listing(outside.path).isEmpty)
        let writeError = await storageError { () async throws(StorageError) in
            try await storage.writeVerifiedPiece(0, fixture.piece(0))
        }
        #expect(writeError == .symbolicLinkRefused(path: folder.path + "/show/master.m3u8"))
        #expect(listing(outside.path).isEmpty)
        #expect(!storage.completion.contains(0))
    }

    @Test func aFileWhereAFolderBelongsIsNotAFolder() async throws {
        let fixture = try videoFixture()
        let folder = try TemporaryDirectory()
        try folder.write(Data([1]), to: "show/seg")
        let storage = makeFileStorage(fixture, in: folder)
        let error = await storageError { () async throws(StorageError) in try await storage.prepare() }
        #expect(error == .notAFolder(path: folder.path + "/show/seg"))
    }

    @Test func aFolderWhereAFileBelongsIsNotAFile() async throws {
        let fixture = try videoFixture()
        let folder = try TemporaryDirectory()
        try FileManager.default.createDirectory(
            atPath: folder.path + "/show/init.mp4", withIntermediateDirectories: true)
        let storage = makeFileStorage(fixture, in: folder)
        let error = await storageError { () async throws(StorageError) in try await storage.prepare() }
        #expect(error == .notAFile(path: folder.path + "/show/init.mp4"))
        #expect(error?.description == "\(folder.path)/show/init.mp4: exists but is not a regular file")
    }

    @Test func aSaveFolderThatIsAFileIsNotAFolder() async throws {
        let fixture = try videoFixture()
        let folder = try TemporaryDirectory()
        let file = try folder.write(Data([1]), to: "downloads")
        let storage = FileStorage(
            metainfo: fixture.metainfo, saveFolder: file.path, completion: MemoryCompletionState(pieceCount: 7),
            pool: sharedPool)
        let error = await storageError { () async throws(StorageError) in try await storage.prepare() }
        #expect(error == .notAFolder(path: file.path))
    }

    /// EFBIG, made without a huge disk: a soft RLIMIT_FSIZE of 1 TiB (far above any other test's files,
    /// so tests running alongside are unaffected) and SIGXFSZ ignored, then a 2 TiB torrent.
    @Test func aFileTooLargeForTheLimitsIsNamed() async throws {
        let metainfo = try unhashedMetainfo(name: "huge.mkv", pieceLength: 128 << 20, length: 2 << 40)
        let folder = try TemporaryDirectory()
        let storage = FileStorage(
            metainfo: metainfo, saveFolder: folder.path,
            completion: MemoryCompletionState(pieceCount: metainfo.pieceCount), pool: sharedPool)
        var saved = rlimit()
        #expect(getrlimit(Int32(RLIMIT_FSIZE.rawValue), &saved) == 0)
        var limited = saved
        limited.rlim_cur = 1 << 40
        signal(SIGXFSZ, SIG_IGN)
        #expect(setrlimit(Int32(RLIMIT_FSIZE.rawValue), &limited) == 0)
        let error = await storageError { () async throws(StorageError) in try await storage.prepare() }
        #expect(setrlimit(Int32(RLIMIT_FSIZE.rawValue), &saved) == 0)
        #expect(error == .fileTooLarge(path: folder.path + "/huge.mkv", reason: "File too large"))
        #expect(error?.description == "\(folder.path)/huge.mkv: file too large for this file system (File too large)")
    }
}

/// A single-file torrent of `length` bytes whose hashes are all zero: for tests that never verify.
func unhashedMetainfo(name: String, pieceLength: Int, length: Int) throws -> Metainfo {
    let pieces = (length + pieceLength - 1) / pieceLength
    let info: Bencoded = .dictionary([
        ("length", .integer(length)), ("name", .text(name)), ("piece length", .integer(pieceLength)),
        ("pieces", .bytes([UInt8](repeating: 0, count: pieces * 20))),
    ])
    return try Metainfo(infoBytes: info.encoded)
}
