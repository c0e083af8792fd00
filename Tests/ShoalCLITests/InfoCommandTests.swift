import Foundation
import TestSupport
import Testing
import TorrentModel

@Suite("shoal info")
struct InfoCommandTests {
    private func makeTorrent(in directory: TemporaryDirectory, extra: [String] = []) async throws -> String {
        try directory.write(Data(repeating: 1, count: 100_000), to: "show/video.mp4")
        try directory.write(Data("#EXTM3U\n".utf8), to: "show/master.m3u8")
        let result = try await ShoalBinary.run(
            ["create", "show", "-o", "show.torrent", "--piece-length", "32K", "-q"] + extra, in: directory.url)
        #expect(result.exitCode == 0, "\(result.standardError)")
        return directory.url.appendingPathComponent("show.torrent").path
    }

    @Test func jsonHasTheDocumentedKeys() async throws {
        let directory = try TemporaryDirectory()
        let path = try await makeTorrent(
            in: directory,
            extra: [
                "--tracker", "http://127.0.0.1:1/announce", "--webseed", "http://127.0.0.1:2/", "--private",
                "--comment", "hi",
            ])
        let result = try await ShoalBinary.run(["info", path, "--json"])
        #expect(result.exitCode == 0)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let metainfo = try Metainfo(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(object["name"] as? String == "show")
        #expect(object["infoHash"] as? String == metainfo.infoHash.hex)
        #expect(object["pieceLength"] as? Int == 32768)
        #expect(object["pieceCount"] as? Int == 4)
        #expect(object["totalSize"] as? Int == 100_008)
        #expect(object["trackers"] as? [String] == ["http://127.0.0.1:1/announce"])
        #expect(object["webSeeds"] as? [String] == ["http://127.0.0.1:2/"])
        #expect(object["private"] as? Bool == true)
        #expect(object["comment"] as? String == "hi")
        #expect(object["magnet"] as? String == metainfo.magnet.uri)
        let files = try #require(object["files"] as? [[String: Any]])
        #expect(files.map { $0["path"] as? String } == ["master.m3u8", "video.mp4"])
        #expect(files.map { $0["length"] as? Int } == [8, 100_000])
    }

    @Test func textNamesEverything() async throws {
        let directory = try TemporaryDirectory()
        let path = try await makeTorrent(in: directory)
        let result = try await ShoalBinary.run(["info", path])
        #expect(result.exitCode == 0)
        let text = result.standardOutput
        for expected in [
            "name:          show", "piece length:  32 KiB (32768 bytes)", "pieces:        4",
            "total size:    97.7 KiB (100008 bytes)", "private:       no", "files (2):", "100000  video.mp4",
            "magnet:        magnet:?xt=urn:btih:",
        ] {
            #expect(text.contains(expected), "missing \(expected) in \(text)")
        }
    }

    @Test func magnetLinks() async throws {
        let magnet = "magnet:?xt=urn:btih:WU3ALS2I7SISYDBDBJUAFNRF62HP2T75&dn=My%20Show&tr=udp%3A%2F%2F127.0.0.1%3A6969"
        let result = try await ShoalBinary.run(["info", magnet, "--json"])
        #expect(result.exitCode == 0, "\(result.standardError)")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(object["infoHash"] as? String == "b53605cb48fc912c0c230a6802b625f68efd4ffd")
        #expect(object["name"] as? String == "My Show")
        #expect(object["trackers"] as? [String] == ["udp://127.0.0.1:6969"])
        #expect(object["pieceLength"] is NSNull)
        #expect(object["source"] as? String == "magnet")
    }

    @Test(arguments: [
        ("garbage.torrent", Data("hello".utf8), "garbage.torrent: bencode: unexpected byte 'h' at byte 0"),
        ("trailing.torrent", Data("de\n".utf8), "trailing.torrent: bencode: 1 trailing byte after the value at byte 2"),
        ("list.torrent", Data("le".utf8), "list.torrent: not a torrent: the top level is not a dictionary"),
        ("noinfo.torrent", Data("d1:ai1ee".utf8), "noinfo.torrent: not a torrent: missing 'info'"),
        ("empty.torrent", Data(), "empty.torrent: bencode: input ends in the middle of a value at byte 0"),
        (
            "escape.torrent",
            Data(
                "d4:infod5:filesld6:lengthi1e4:pathl2:..6:passwdeee4:name1:x12:piece lengthi16384e6:pieces20:aaaaaaaaaaaaaaaaaaaaee"
                    .utf8),
            "escape.torrent: unsafe file path: '..' in path"
        ),
    ])
    func brokenTorrentsGiveOneLineAndExitOne(name: String, contents: Data, message: String) async throws {
        let directory = try TemporaryDirectory()
        try directory.write(contents, to: name)
        let result = try await ShoalBinary.run(["info", name], in: directory.url)
        #expect(result.exitCode == 1)
        #expect(result.standardError == "shoal: error: \(message)\n")
        #expect(result.standardOutput.isEmpty)
    }

    @Test func unreadablePathsAndBadMagnets() async throws {
        let directory = try TemporaryDirectory()
        let cases: [(String, String)] = [
            ("missing.torrent", "missing.torrent: No such file or directory"),
            (directory.path, "is a folder, not a file"),
            ("magnet:?dn=x", "magnet link has no 'xt=urn:btih:' infohash"),
            ("magnet:?xt=urn:btih:1234", "magnet infohash '1234' is neither"),
            ("magnet:?xt=urn:btih:\(String(repeating: "a", count: 40))&x.pe=nope", "magnet peer 'x.pe=nope'"),
        ]
        for (argument, message) in cases {
            let result = try await ShoalBinary.run(["info", argument], in: directory.url)
            #expect(result.exitCode == 1, "\(argument)")
            #expect(result.stderrLines.count == 1)
            #expect(result.standardError.contains(message), "\(result.standardError)")
        }
    }

    @Test func randomGarbageNeverCrashesOrHangs() async throws {
        let directory = try TemporaryDirectory()
        let path = try await makeTorrent(in: directory)
        let valid = try Data(contentsOf: URL(fileURLWithPath: path))
        var random = SeededRandom(seed: 99)
        for index in 0..<40 {
            var bytes = [UInt8](valid)
            for _ in 0..<(1 + Int(random.next() % 8)) {
                let position = Int(random.next() % UInt64(bytes.count))
                bytes[position] = UInt8(truncatingIfNeeded: random.next())
            }
            if index % 5 == 0 { bytes = Array(bytes.prefix(Int(random.next() % UInt64(bytes.count)))) }
            try directory.write(Data(bytes), to: "m\(index).torrent")
            let result = try await ShoalBinary.run(
                ["info", "m\(index).torrent", "--json"], in: directory.url, timeout: 20)
            #expect(!result.timedOut)
            #expect(result.exitCode == 0 || result.exitCode == 1, "input m\(index): \(result.standardError)")
            if result.exitCode == 1 { #expect(result.stderrLines.count == 1) }
        }
    }
}
