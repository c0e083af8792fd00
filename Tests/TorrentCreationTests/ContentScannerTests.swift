import Foundation
import Glibc
import Testing
import TorrentCreation
import TorrentModel

@Suite("Content scanner")
struct ContentScannerTests {
    typealias Source = TorrentLayout.Source

    @Test func singleFile() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("movie.bin", content(1_234, seed: 1))
        let scanned = try ContentScanner.scan(path: path)
        #expect(scanned.name == "movie.bin")
        #expect(scanned.isMultiFile == false)
        #expect(scanned.sources == [Source(path: ["movie.bin"], length: 1_234)])
        #expect(scanned.rootPath == path)
        #expect(scanned.totalLength == 1_234)
        #expect(scanned.diskPath(of: ["movie.bin"]) == path)
    }

    @Test func folderIsListedInSortedOrderWhateverTheCreationOrder() throws {
        let folder = try TemporaryFolder()
        let root = try folder.makeFolder("My Data")
        let created = ["z.txt", "sub/y", "a b", "B.txt", "sub/x", "a/inner", "é", "a.txt", "sub2/q", "_", "10", "9"]
        for (index, name) in created.enumerated() { try folder.write("My Data/" + name, content(index + 1, seed: 9)) }

        let scanned = try ContentScanner.scan(path: root)
        #expect(scanned.name == "My Data")
        #expect(scanned.isMultiFile)
        #expect(scanned.rootPath == root)
        let expected: [[String]] = [
            ["10"], ["9"], ["B.txt"], ["_"], ["a", "inner"], ["a b"], ["a.txt"], ["sub", "x"], ["sub", "y"],
            ["sub2", "q"],
            ["z.txt"], ["é"],
        ]
        #expect(scanned.sources.map(\.path) == expected)
        let lengths = Dictionary(uniqueKeysWithValues: created.enumerated().map { ($1, Int64($0 + 1)) })
        #expect(scanned.sources.map(\.length) == expected.map { lengths[$0.joined(separator: "/")]! })
        #expect(scanned.totalLength == (1...12).reduce(0, +))
        #expect(scanned.diskPath(of: ["sub", "x"]) == root + "/sub/x")
    }

    @Test func deeplyNestedFolders() throws {
        let folder = try TemporaryFolder()
        try folder.write("top/a/b/c/d/e/deep.txt", [1, 2, 3])
        try folder.write("top/a/shallow.txt", [4])
        try folder.makeFolder("top/a/empty/also-empty")
        let scanned = try ContentScanner.scan(path: folder.url("top"))
        #expect(
            scanned.sources == [
                Source(path: ["a", "b", "c", "d", "e", "deep.txt"], length: 3),
                Source(path: ["a", "shallow.txt"], length: 1),
            ])
    }

    @Test func emptyFilesAreListed() throws {
        let folder = try TemporaryFolder()
        try folder.write("d/empty", [])
        try folder.write("d/full", [7])
        #expect(
            try ContentScanner.scan(path: folder.url("d")).sources == [
                Source(path: ["empty"], length: 0), Source(path: ["full"], length: 1),
            ])
    }

    @Test func trailingSlashesAndDotComponentsNameTheFolderItself() throws {
        let folder = try TemporaryFolder()
        try folder.write("named/sub/f", [1])
        for path in [folder.url("named/"), folder.url("named//"), folder.url("named/."), folder.url("named/sub/..")] {
            let scanned = try ContentScanner.scan(path: path)
            #expect(scanned.name == "named", "\(path)")
            #expect(scanned.sources == [Source(path: ["sub", "f"], length: 1)], "\(path)")
        }
        #expect(try ContentScanner.scan(path: folder.url("named/")).rootPath == folder.url("named"))
    }

    @Test func nestingUpToTheDepthLimit() throws {
        let folder = try TemporaryFolder()
        let limit = TorrentLimits.maximumPathDepth
        let allowed = Array(repeating: "d", count: limit - 1) + ["file"]
        try folder.write("ok/" + allowed.joined(separator: "/"), [1])
        #expect(try ContentScanner.scan(path: folder.url("ok")).sources == [Source(path: allowed, length: 1)])

        let tooDeep = Array(repeating: "d", count: limit)
        try folder.write("deep/" + tooDeep.joined(separator: "/") + "/file", [1])
        let deepest = folder.url("deep/" + tooDeep.joined(separator: "/"))
        #expect(scanError(folder.url("deep")) == .tooLarge("\(deepest) is nested more than \(limit) folders deep"))
    }

    /// "é" precomposed (C3 A9) and "e" + combining acute (65 CC 81) are different names on Linux; the
    /// listing must follow their bytes, so the same files give the same torrent on every machine.
    @Test func canonicallyEquivalentFolderNamesAreSortedByBytes() throws {
        let folder = try TemporaryFolder()
        try folder.write("u/\u{E9}/a", [1])
        try folder.write("u/f", [2])
        try folder.write("u/e\u{301}/b", [3])
        let scanned = try ContentScanner.scan(path: folder.url("u"))
        let paths = scanned.sources.map { $0.path.map { Array($0.utf8) } }
        #expect(paths == [[[0x65, 0xCC, 0x81], [0x62]], [[0x66]], [[0xC3, 0xA9], [0x61]]])
    }

    // MARK: Links and special files

    @Test func symlinkToAFileIsFollowed() throws {
        let folder = try TemporaryFolder()
        try folder.write("outside/target.bin", content(5_000, seed: 2))
        try folder.write("data/real.txt", [1, 2])
        try folder.symlink("data/link.bin", to: "../outside/target.bin")
        try folder.symlink("data/absolute-link", to: folder.url("data/real.txt"))
        let scanned = try ContentScanner.scan(path: folder.url("data"))
        #expect(
            scanned.sources == [
                Source(path: ["absolute-link"], length: 2), Source(path: ["link.bin"], length: 5_000),
                Source(path: ["real.txt"], length: 2),
            ])
    }

    @Test func aLinkGivenAsThePathKeepsItsOwnName() throws {
        let folder = try TemporaryFolder()
        try folder.write("store/blob-1234", [1, 2, 3])
        try folder.symlink("movie.mp4", to: "store/blob-1234")
        let scanned = try ContentScanner.scan(path: folder.url("movie.mp4"))
        #expect(scanned.name == "movie.mp4")
        #expect(scanned.sources == [Source(path: ["movie.mp4"], length: 3)])
    }

    @Test func symlinkToAFolderIsNotFollowed() throws {
        let folder = try TemporaryFolder()
        try folder.write("other/secret.txt", [1, 2, 3])
        try folder.write("data/kept.txt", [1])
        try folder.symlink("data/linked-folder", to: "../other")
        try folder.symlink("data/loop", to: ".")
        try folder.symlink("data/parent", to: "..")
        let scanned = try ContentScanner.scan(path: folder.url("data"))
        #expect(scanned.sources == [Source(path: ["kept.txt"], length: 1)])
    }

    @Test func danglingSymlinkIsSkipped() throws {
        let folder = try TemporaryFolder()
        try folder.write("data/kept.txt", [1])
        try folder.symlink("data/dangling", to: "does-not-exist")
        try folder.symlink("data/self", to: "self")
        #expect(try ContentScanner.scan(path: folder.url("data")).sources == [Source(path: ["kept.txt"], length: 1)])
    }

    @Test func fifoIsSkipped() throws {
        let folder = try TemporaryFolder()
        try folder.write("data/kept.txt", [1])
        try folder.makeFolder("data/sub")
        try folder.fifo("data/sub/pipe")
        try folder.fifo("data/pipe")
        #expect(try ContentScanner.scan(path: folder.url("data")).sources == [Source(path: ["kept.txt"], length: 1)])
    }

    @Test func socketIsSkipped() throws {
        let folder = try TemporaryFolder()
        try folder.write("data/kept.txt", [1])
        let socketPath = folder.url("data/socket")
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #expect(descriptor >= 0)
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in socketPath.utf8.enumerated() where index < raw.count - 1 { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        #expect(bound == 0)
        #expect(try ContentScanner.scan(path: folder.url("data")).sources == [Source(path: ["kept.txt"], length: 1)])
    }

    // MARK: Errors

    @Test func emptyFolder() throws {
        let folder = try TemporaryFolder()
        let path = try folder.makeFolder("empty")
        #expect(scanError(path) == .noFiles(path))
    }

    @Test func folderWithOnlyEmptyFoldersLinksAndPipes() throws {
        let folder = try TemporaryFolder()
        try folder.makeFolder("hollow/a/b")
        try folder.makeFolder("hollow/c")
        try folder.symlink("hollow/dangling", to: "nowhere")
        try folder.fifo("hollow/a/pipe")
        #expect(scanError(folder.url("hollow")) == .noFiles(folder.url("hollow")))
    }

    @Test func nonexistentPath() throws {
        let folder = try TemporaryFolder()
        #expect(scanError(folder.url("missing")) == .notFound(folder.url("missing")))
        #expect(scanError(folder.url("missing/")) == .notFound(folder.url("missing/")))
        #expect(CreationError.notFound("x").description == "x: no such file or folder")
    }

    @Test func pathThroughAFileIsUnreadable() throws {
        let folder = try TemporaryFolder()
        try folder.write("file", [1])
        let path = folder.url("file/inside")
        #expect(scanError(path) == .unreadable(path, reason: "Not a directory"))
    }

    @Test func fifoIsNotAFileOrFolder() throws {
        let folder = try TemporaryFolder()
        try folder.fifo("pipe")
        #expect(scanError(folder.url("pipe")) == .notAFileOrFolder(folder.url("pipe")))
    }

    @Test func rootHasNoName() {
        #expect(scanError("/") == .badName("/", reason: "the torrent needs a name, and '/' has none"))
    }

    @Test func nonUtf8FileNameIsRefused() throws {
        let folder = try TemporaryFolder()
        try folder.write("data/ok.txt", [1])
        let badName = (Array(folder.url("data/bad-").utf8) + [0xFF, 0xFE]).map { CChar(bitPattern: $0) } + [0]
        let descriptor = open(badName, O_CREAT | O_WRONLY, 0o644)
        #expect(descriptor >= 0)
        close(descriptor)
        defer { unlink(badName) }
        #expect(
            scanError(folder.url("data"))
                == .badName(folder.url("data") + "/bad-\u{FFFD}\u{FFFD}", reason: "the name is not valid UTF-8"))
    }
}
