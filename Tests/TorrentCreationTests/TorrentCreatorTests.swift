import Bencode
import Foundation
import Glibc
import TestSupport
import Testing
import TorrentCreation
import TorrentModel

@Suite("Torrent creation")
struct TorrentCreatorTests {
    // MARK: Hashes

    @Test func singleFileHashesMatchAnIndependentSHA1() throws {
        let folder = try TemporaryFolder()
        let data = content(100_000, seed: 11)
        let path = try folder.write("single.bin", data)
        let created = try create(path, pieceLength: 16_384)
        let metainfo = created.metainfo

        #expect(metainfo.name == "single.bin")
        #expect(!metainfo.isMultiFile)
        #expect(metainfo.files == [TorrentFile(path: ["single.bin"], length: 100_000, offset: 0)])
        #expect(metainfo.pieceLength == 16_384)
        #expect(metainfo.pieceCount == 7)
        #expect(metainfo.pieceHashes == referencePieceHashes(data, pieceLength: 16_384))
        #expect(try Metainfo(bytes: created.bytes).infoHash == metainfo.infoHash)
        #expect(metainfo.infoHash.bytes == ReferenceSHA1.hash(metainfo.infoBytes))
    }

    @Test func piecesSpanningSeveralFiles() throws {
        let folder = try TemporaryFolder()
        // Sorted order: a, b/c, b/d, e, f, g; the 1-byte and empty files sit inside pieces.
        let files: [(String, [UInt8])] = [
            ("set/f", content(30_000, seed: 5)), ("set/a", content(5_000, seed: 1)),
            ("set/b/d", content(1, seed: 3)), ("set/b/c", content(20_000, seed: 2)), ("set/e", []),
            ("set/g", content(3, seed: 6)),
        ]
        for (name, bytes) in files { try folder.write(name, bytes) }
        let stream = ["set/a", "set/b/c", "set/b/d", "set/e", "set/f", "set/g"].flatMap { name in
            files.first { $0.0 == name }!.1
        }
        let created = try create(folder.url("set"), pieceLength: 16_384)
        let metainfo = created.metainfo

        #expect(metainfo.isMultiFile)
        #expect(metainfo.files.map(\.pathString) == ["a", "b/c", "b/d", "e", "f", "g"])
        #expect(metainfo.files.map(\.offset) == [0, 5_000, 25_000, 25_001, 25_001, 55_001])
        #expect(metainfo.totalLength == 55_004)
        #expect(metainfo.pieceCount == 4)
        #expect(metainfo.pieceHashes == referencePieceHashes(stream, pieceLength: 16_384))
    }

    @Test func padFilesAreHashedAsZeros() throws {
        let folder = try TemporaryFolder()
        let a = content(10_000, seed: 21)
        let b = content(20_000, seed: 22)
        let c = content(5, seed: 23)
        try folder.write("aligned/a", a)
        try folder.write("aligned/b", b)
        try folder.write("aligned/c", c)
        let created = try create(folder.url("aligned"), pieceLength: 16_384, alignFiles: true)
        let metainfo = created.metainfo

        #expect(
            metainfo.files == [
                TorrentFile(path: ["a"], length: 10_000, offset: 0),
                TorrentFile(path: [".pad", "6384"], length: 6_384, offset: 10_000, isPadding: true),
                TorrentFile(path: ["b"], length: 20_000, offset: 16_384),
                TorrentFile(path: [".pad", "12768"], length: 12_768, offset: 36_384, isPadding: true),
                TorrentFile(path: ["c"], length: 5, offset: 49_152),
            ])
        let stream = a + [UInt8](repeating: 0, count: 6_384) + b + [UInt8](repeating: 0, count: 12_768) + c
        #expect(metainfo.pieceHashes == referencePieceHashes(stream, pieceLength: 16_384))
        // Each file starts a piece, so its hashes do not depend on its neighbours.
        try #require(metainfo.pieceCount == 4)
        #expect(Array(metainfo.hash(ofPiece: 3)) == ReferenceSHA1.hash(c))
        // The written torrent marks the pads with attr "p".
        let root = try BencodeDecoder.decode(created.bytes).value
        #expect(root["info"]?["files"]?.listValue?[1] == ["length": 6_384, "path": [".pad", "6384"], "attr": "p"])
    }

    @Test func alignmentDoesNothingForASingleFile() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("one", content(20_000, seed: 3))
        let metainfo = try create(path, pieceLength: 16_384, alignFiles: true).metainfo
        #expect(metainfo.files == [TorrentFile(path: ["one"], length: 20_000, offset: 0)])
    }

    @Test func threadCountDoesNotChangeTheHashes() throws {
        let folder = try TemporaryFolder()
        // 9 MiB + a bit in 16 KiB pieces: 3 chunks of 256 pieces, so several threads really share the work.
        var stream: [UInt8] = []
        for (index, length) in [3_000_000, 1, 4_500_000, 16_384, 2_000_000].enumerated() {
            let bytes = content(length, seed: UInt64(100 + index))
            try folder.write("big/part\(index)", bytes)
            stream += bytes
        }
        let one = try create(folder.url("big"), pieceLength: 16_384, threads: 1)
        let four = try create(folder.url("big"), pieceLength: 16_384, threads: 4)
        let many = try create(folder.url("big"), pieceLength: 16_384, threads: 64)
        try #require(one.metainfo.pieceCount == 581)
        #expect(one.bytes == four.bytes)
        #expect(one.bytes == many.bytes)
        #expect(one.metainfo.infoHash == four.metainfo.infoHash)

        // Spot-check pieces at the ends and around the chunk boundaries against the reference SHA-1.
        for piece in [0, 1, 183, 255, 256, 257, 511, 512, 580] {
            let start = piece * 16_384
            let expected = ReferenceSHA1.hash(Array(stream[start..<min(stream.count, start + 16_384)]))
            #expect(Array(four.metainfo.hash(ofPiece: piece)) == expected, "piece \(piece)")
        }
    }

    @Test func hasherOnItsOwnWithPadsAndManyThreads() throws {
        let folder = try TemporaryFolder()
        let first = try folder.write("x", content(40_000, seed: 31))
        let second = try folder.write("y", content(1, seed: 32))
        let files = TorrentLayout.place(
            [.init(path: ["x"], length: 40_000), .init(path: ["y"], length: 1)], pieceLength: 16_384,
            alignToPieces: true)
        let paths = [first, "/nonexistent/pad/never/read", second]
        var hashes: [[UInt8]] = []
        for threads in [1, 2, 8] {
            hashes.append(
                try PieceHasher(files: files, diskPaths: paths, pieceLength: 16_384, threadCount: threads).hashAll())
        }
        let stream = content(40_000, seed: 31) + [UInt8](repeating: 0, count: 9_152) + content(1, seed: 32)
        #expect(hashes == Array(repeating: referencePieceHashes(stream, pieceLength: 16_384), count: 3))
    }

    @Test func referenceSHA1AgreesWithSha1sum() throws {
        let folder = try TemporaryFolder()
        let data = content(70_001, seed: 77)
        let path = try folder.write("check.bin", data)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha1sum")
        process.arguments = [path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: output, as: UTF8.self)
        #expect(process.terminationStatus == 0)
        #expect(text.hasPrefix(hexString(ReferenceSHA1.hash(data)) + " "))
    }

    // MARK: Piece length

    @Test func automaticPieceLengthForSmallContent() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("small", content(50_000, seed: 4))
        #expect(try create(path).metainfo.pieceLength == 16_384)
    }

    @Test func automaticPieceLengthGrowsWithTheContent() throws {
        // A sparse file of 4000 × 16 KiB + 1 bytes needs 32 KiB pieces to stay within 4000 of them.
        let folder = try TemporaryFolder()
        let path = folder.url("sparse.img")
        let length = 4_000 * 16_384 + 1
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        #expect(truncate(path, off_t(length)) == 0)
        let metainfo = try create(path, threads: 2).metainfo
        #expect(metainfo.pieceLength == 32_768)
        try #require(metainfo.pieceCount == 2_001)
        let zeroPiece = ReferenceSHA1.hash([UInt8](repeating: 0, count: 32_768))
        #expect(Array(metainfo.hash(ofPiece: 0)) == zeroPiece)
        #expect(Array(metainfo.hash(ofPiece: 1_999)) == zeroPiece)
        #expect(Array(metainfo.hash(ofPiece: 2_000)) == ReferenceSHA1.hash([0]))
    }

    @Test(arguments: [32_768, 65_536, 1 << 20, 1 << 23])
    func explicitPieceLength(pieceLength: Int) throws {
        let folder = try TemporaryFolder()
        let data = content(100_000, seed: 8)
        let path = try folder.write("f", data)
        let metainfo = try create(path, pieceLength: pieceLength).metainfo
        #expect(metainfo.pieceLength == pieceLength)
        #expect(metainfo.pieceHashes == referencePieceHashes(data, pieceLength: pieceLength))
    }

    @Test(arguments: [0, 8_192, 10_000, 3 * 16_384, 1 << 28])
    func unacceptablePieceLength(pieceLength: Int) throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("f", [1, 2, 3])
        #expect(throws: CreationError.badPieceLength(pieceLength)) { try create(path, pieceLength: pieceLength) }
    }

    // MARK: Determinism

    @Test func sameContentCreatedInADifferentOrderGivesTheSameTorrent() throws {
        let first = try TemporaryFolder()
        let second = try TemporaryFolder()
        let files: [(String, [UInt8])] = [
            ("data/readme.txt", content(300, seed: 1)), ("data/media/clip.bin", content(70_000, seed: 2)),
            ("data/media/art/cover.jpg", content(9_000, seed: 3)), ("data/Z", content(17, seed: 4)),
            ("data/empty", []), ("data/media/a", content(16_384, seed: 5)),
        ]
        for (name, bytes) in files { try first.write(name, bytes) }
        for (name, bytes) in files.reversed() { try second.write(name, bytes) }
        // Different timestamps too: they must not matter.
        #expect(utime(second.url("data/readme.txt"), nil) == 0)

        let options = TorrentOptions(trackerTiers: [["http://t.example/announce"]], createdBy: "test")
        let a = try create(first.url("data"), pieceLength: 16_384, options: options, threads: 1)
        let b = try create(second.url("data"), pieceLength: 16_384, options: options, threads: 3)
        #expect(a.metainfo.infoHash == b.metainfo.infoHash)
        #expect(a.bytes == b.bytes)

        let aligned1 = try create(first.url("data"), pieceLength: 16_384, alignFiles: true)
        let aligned2 = try create(second.url("data"), pieceLength: 16_384, alignFiles: true)
        #expect(aligned1.metainfo.infoHash == aligned2.metainfo.infoHash)
        #expect(aligned1.metainfo.infoHash != a.metainfo.infoHash)
    }

    @Test func creationDateAndCommentDoNotChangeTheInfohash() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("f", content(1_000, seed: 6))
        let plain = try create(path, pieceLength: 16_384)
        let dated = try create(
            path, pieceLength: 16_384,
            options: TorrentOptions(comment: "x", createdBy: "y", creationDate: 1_700_000_000))
        #expect(plain.metainfo.infoHash == dated.metainfo.infoHash)
        #expect(plain.bytes != dated.bytes)
        let isPrivate = try create(path, pieceLength: 16_384, options: TorrentOptions(isPrivate: true))
        #expect(isPrivate.metainfo.infoHash != plain.metainfo.infoHash)
    }

    // MARK: Options and results

    @Test func optionsReachTheTorrent() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("f", content(1_000, seed: 7))
        let options = TorrentOptions(
            trackerTiers: [["http://a/announce", "http://b/announce"], ["udp://c:80"]],
            webSeeds: ["http://w1/", "http://w2/"], isPrivate: true, comment: "note", createdBy: "Shoal tests",
            creationDate: 1_234)
        let created = try create(path, options: options)
        let metainfo = created.metainfo
        #expect(metainfo.trackerTiers == options.trackerTiers)
        #expect(metainfo.webSeeds == options.webSeeds)
        #expect(metainfo.isPrivate)
        #expect(metainfo.comment == "note")
        #expect(metainfo.createdBy == "Shoal tests")
        #expect(metainfo.creationDate == 1_234)
        let info = MetainfoWriter.info(
            name: "f", files: metainfo.files, isMultiFile: false, pieceLength: 16_384,
            pieceHashes: referencePieceHashes(content(1_000, seed: 7), pieceLength: 16_384), isPrivate: true)
        #expect(created.bytes == MetainfoWriter.torrent(info: info, options: options))
    }

    @Test func progressCountsEveryByteOfTheStream() throws {
        let folder = try TemporaryFolder()
        try folder.write("p/a", content(30_000, seed: 1))
        try folder.write("p/b", content(30_000, seed: 2))
        let progress = ProgressCounter(total: 65_536)
        let metainfo = try create(folder.url("p"), pieceLength: 16_384, alignFiles: true, progress: progress).metainfo
        #expect(metainfo.totalLength == 62_768)
        #expect(progress.completed == 62_768)
    }

    @Test func symlinkedFileIsHashedFromItsTarget() throws {
        let folder = try TemporaryFolder()
        let data = content(20_000, seed: 44)
        try folder.write("elsewhere/real", data)
        try folder.makeFolder("linked")
        try folder.symlink("linked/via-link", to: folder.url("elsewhere/real"))
        let metainfo = try create(folder.url("linked"), pieceLength: 16_384).metainfo
        #expect(metainfo.files == [TorrentFile(path: ["via-link"], length: 20_000, offset: 0)])
        #expect(metainfo.pieceHashes == referencePieceHashes(data, pieceLength: 16_384))
    }

    // MARK: Errors

    @Test func onlyEmptyFiles() throws {
        let folder = try TemporaryFolder()
        try folder.write("hollow/a", [])
        try folder.write("hollow/b/c", [])
        let path = folder.url("hollow")
        #expect(throws: CreationError.noFiles(path + " (all files are empty)")) { try create(path) }
        let single = try folder.write("empty.bin", [])
        #expect(throws: CreationError.noFiles(single + " (all files are empty)")) { try create(single) }
    }

    @Test func scanErrorsPassThrough() throws {
        let folder = try TemporaryFolder()
        #expect(throws: CreationError.notFound(folder.url("nope"))) { try create(folder.url("nope")) }
        try folder.makeFolder("nothing")
        #expect(throws: CreationError.noFiles(folder.url("nothing"))) { try create(folder.url("nothing")) }
    }

    @Test func fileRemovedAfterTheScanIsUnreadable() throws {
        let folder = try TemporaryFolder()
        try folder.write("d/keep", content(100, seed: 1))
        let doomed = try folder.write("d/doomed", content(100, seed: 2))
        let creator = TorrentCreator(CreationRequest(path: folder.url("d"), pieceLength: 16_384, threadCount: 1))
        let scanned = try creator.scan()
        #expect(unlink(doomed) == 0)
        #expect(throws: CreationError.unreadable(doomed, reason: "No such file or directory")) {
            try creator.create(from: scanned)
        }
    }

    @Test func fileShrunkAfterTheScanIsDetected() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("shrinks", content(50_000, seed: 1))
        let creator = TorrentCreator(CreationRequest(path: path, pieceLength: 16_384, threadCount: 1))
        let scanned = try creator.scan()
        #expect(truncate(path, 10_000) == 0)
        #expect(throws: CreationError.changedWhileHashing(path)) { try creator.create(from: scanned) }
    }

    @Test func fileGrownAfterTheScanIsDetected() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("grows", content(50_000, seed: 1))
        let creator = TorrentCreator(CreationRequest(path: path, pieceLength: 16_384, threadCount: 1))
        let scanned = try creator.scan()
        #expect(truncate(path, 60_000) == 0)
        #expect(throws: CreationError.changedWhileHashing(path)) { try creator.create(from: scanned) }
    }

    @Test func errorDescriptionsNameThePath() {
        #expect(CreationError.noFiles("/x").description == "/x: the folder holds no files")
        #expect(CreationError.unreadable("/x", reason: "r").description == "/x: cannot read: r")
        #expect(CreationError.changedWhileHashing("/x").description.hasPrefix("/x: the file changed size"))
        #expect(CreationError.badPieceLength(5).description.contains("piece length 5 must be a power of two"))
        #expect(CreationError.notAFileOrFolder("/p").description == "/p: not a regular file or folder")
    }
}
