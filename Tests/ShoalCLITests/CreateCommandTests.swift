import Foundation
import TestSupport
import Testing
import TorrentModel

@Suite("shoal create")
struct CreateCommandTests {
    @Test func printsInfohashAndMagnetAndWritesBesideTheCurrentDirectory() async throws {
        let directory = try TemporaryDirectory()
        try directory.write(Data("hello shoal\n".utf8), to: "notes/a.txt")
        try directory.write(Data(repeating: 7, count: 40_000), to: "notes/b.bin")
        let result = try await ShoalBinary.run(
            ["create", "notes", "--tracker", "http://127.0.0.1:1/announce"], in: directory.url)
        #expect(result.exitCode == 0, "\(result.standardError)")

        let torrentPath = directory.url.appendingPathComponent("notes.torrent").path
        let metainfo = try Metainfo(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: torrentPath))))
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.contains("infohash: \(metainfo.infoHash.hex)"))
        #expect(lines.contains("magnet: \(metainfo.magnet.uri)"))
        #expect(metainfo.magnet.uri.hasPrefix("magnet:?xt=urn:btih:\(metainfo.infoHash.hex)&dn=notes&tr="))
        #expect(metainfo.createdBy?.hasPrefix("Shoal/") == true)
        #expect(metainfo.files.map(\.path) == [["a.txt"], ["b.bin"]])
    }

    @Test func sameContentGivesTheSameInfohashAndByteIdenticalFilesWithoutDate() async throws {
        let first = try TemporaryDirectory()
        let second = try TemporaryDirectory()
        var random = SeededRandom(seed: 7)
        let blob = random.data(count: 300_000)
        // Written in different orders and at different times: neither may change the result.
        try first.write(blob, to: "movie/z.bin")
        try first.write(Data("x".utf8), to: "movie/a/1.txt")
        try second.write(Data("x".utf8), to: "movie/a/1.txt")
        try second.write(blob, to: "movie/z.bin")
        var outputs: [Data] = []
        for directory in [first, second] {
            let result = try await ShoalBinary.run(["create", "movie", "--no-creation-date", "-q"], in: directory.url)
            #expect(result.exitCode == 0, "\(result.standardError)")
            outputs.append(try Data(contentsOf: directory.url.appendingPathComponent("movie.torrent")))
        }
        #expect(outputs[0] == outputs[1])
        let metainfo = try Metainfo(bytes: Array(outputs[0]))
        #expect(metainfo.creationDate == nil)
    }

    @Test func threadCountDoesNotChangeTheHashes() async throws {
        let directory = try TemporaryDirectory()
        var random = SeededRandom(seed: 3)
        try directory.write(random.data(count: 5_000_000), to: "big/part1")
        try directory.write(random.data(count: 1_234_567), to: "big/part2")
        var hashes: [String] = []
        for threads in ["1", "3"] {
            let out = directory.url.appendingPathComponent("t\(threads).torrent").path
            let result = try await ShoalBinary.run(
                ["create", "big", "-o", out, "--threads", threads, "--piece-length", "16K", "-q"], in: directory.url)
            #expect(result.exitCode == 0, "\(result.standardError)")
            hashes.append(try Metainfo(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: out)))).infoHash.hex)
        }
        #expect(hashes[0] == hashes[1])
    }

    @Test func refusesToReplaceAnExistingTorrentUnlessForced() async throws {
        let directory = try TemporaryDirectory()
        try directory.write(Data("data".utf8), to: "f.txt")
        try directory.write(Data("precious".utf8), to: "f.txt.torrent")
        let refused = try await ShoalBinary.run(["create", "f.txt", "-o", "f.txt.torrent"], in: directory.url)
        #expect(refused.exitCode == 1)
        #expect(refused.stderrLines.count == 1)
        #expect(refused.standardError.contains("f.txt.torrent: already exists"))
        #expect(try Data(contentsOf: directory.url.appendingPathComponent("f.txt.torrent")) == Data("precious".utf8))

        let forced = try await ShoalBinary.run(
            ["create", "f.txt", "-o", "f.txt.torrent", "--force"], in: directory.url)
        #expect(forced.exitCode == 0)
    }

    @Test(arguments: [
        (["create"], "Missing expected argument"),
        (["create", "x", "--piece-length", "1000"], "--piece-length '1000'"),
        (["create", "x", "--piece-length", "abc"], "--piece-length 'abc'"),
        (["create", "x", "--tracker", "ftp://t/a"], "--tracker 'ftp://t/a'"),
        (["create", "x", "--webseed", "t/a"], "--webseed 't/a'"),
        (["create", "x", "--threads", "0"], "--threads"),
        (["create", "x", "--bogus"], "Unknown option '--bogus'"),
        (["frobnicate"], "Unexpected argument 'frobnicate'"),
    ])
    func badUsageExitsWithTwo(arguments: [String], message: String) async throws {
        let result = try await ShoalBinary.run(arguments)
        #expect(result.exitCode == 2)
        #expect(result.stderrLines.count == 1, "\(result.standardError)")
        #expect(result.standardError.hasPrefix("shoal: error: "))
        #expect(result.standardError.contains(message), "\(result.standardError)")
    }

    @Test func badInputExitsWithOneAndNamesThePath() async throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(
            at: directory.url.appendingPathComponent("empty"), withIntermediateDirectories: true)
        let cases: [([String], String)] = [
            (["create", "missing"], "missing: no such file or folder"),
            (["create", "empty"], "empty: the folder holds no files"),
            (["create", "/dev/null"], "/dev/null: not a regular file or folder"),
        ]
        for (arguments, message) in cases {
            let result = try await ShoalBinary.run(arguments, in: directory.url)
            #expect(result.exitCode == 1, "\(arguments)")
            #expect(result.stderrLines.count == 1, "\(result.standardError)")
            #expect(result.standardError.contains(message), "\(result.standardError)")
        }
        let unwritable = try await ShoalBinary.run(["create", "/etc/hostname", "-o", "/nonexistent-dir/x.torrent"])
        #expect(unwritable.exitCode == 1)
        #expect(unwritable.standardError.contains("/nonexistent-dir/x.torrent: cannot write"))
    }

    @Test func largeInputsReportTheHashingRate() async throws {
        let directory = try TemporaryDirectory()
        try directory.write(Data(count: 80 * 1024 * 1024), to: "zeros.bin")
        let result = try await ShoalBinary.run(["create", "zeros.bin"], in: directory.url)
        #expect(result.exitCode == 0)
        #expect(result.standardError.contains("hashed 80 MiB of 80 MiB (100%)"), "\(result.standardError)")
        #expect(result.standardError.contains("MB/s"))
        let quiet = try await ShoalBinary.run(["create", "zeros.bin", "-q", "--force"], in: directory.url)
        #expect(quiet.standardError.isEmpty)
    }
}
