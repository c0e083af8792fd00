import Bencode
import Testing
import TorrentModel

@Suite("Path safety and size consistency")
struct PathSafetyTests {
    // MARK: PathValidator

    @Test(arguments: [
        ("", "empty path component"),
        (".", "'.' in path"),
        ("..", "'..' in path"),
        ("a/b", "'/' inside a path component"),
        ("/", "'/' inside a path component"),
        ("/etc", "'/' inside a path component"),
        ("a\u{0}b", "NUL byte in a path component"),
        ("\u{0}", "NUL byte in a path component"),
        (String(repeating: "x", count: 256), "path component longer than 255 bytes"),
        (String(repeating: "é", count: 128), "path component longer than 255 bytes"),
    ])
    func unsafeComponents(component: String, reason: String) {
        #expect(throws: MetainfoError.unsafePath(reason)) { try PathValidator.validate(component: component) }
    }

    @Test(arguments: [
        "a", "...", ".hidden", "..x", "x..", "file name with spaces.txt", "Grüße", "日本語", "🎵 song.mp3", "a\\b", "C:",
        "CON", String(repeating: "x", count: 255), String(repeating: "é", count: 127),
    ])
    func safeComponents(component: String) throws {
        try PathValidator.validate(component: component)
    }

    @Test func paths() throws {
        try PathValidator.validate(path: ["a", "b", "c.txt"])
        try PathValidator.validate(path: Array(repeating: "d", count: TorrentLimits.maximumPathDepth))
        #expect(throws: MetainfoError.unsafePath("empty path")) { try PathValidator.validate(path: []) }
        #expect(throws: MetainfoError.unsafePath("more than 128 path components")) {
            try PathValidator.validate(path: Array(repeating: "d", count: TorrentLimits.maximumPathDepth + 1))
        }
        #expect(throws: MetainfoError.unsafePath("'..' in path")) {
            try PathValidator.validate(path: ["a", "..", "b"])
        }
        #expect(throws: MetainfoError.unsafePath("empty path component")) {
            try PathValidator.validate(path: ["a", "", "b"])
        }
    }

    // MARK: Unsafe paths inside torrents

    @Test(
        arguments: [
            (["..", "etc", "passwd"], "'..' in path"),
            (["a", "..", "..", "b"], "'..' in path"),
            (["."], "'.' in path"),
            (["/etc", "passwd"], "'/' inside a path component"),
            (["/"], "'/' inside a path component"),
            (["a/../../b"], "'/' inside a path component"),
            (["a", "", "b"], "empty path component"),
            ([""], "empty path component"),
            (["a\u{0}.txt"], "NUL byte in a path component"),
            ([], "empty path"),
        ] as [([String], String)])
    func unsafeFilePaths(path: [String], reason: String) {
        let info = multiFileInfo(files: [fileEntry(["fine.txt"], 10), fileEntry(path, 10)])
        #expect(parseError(info: info) == .unsafePath(reason))
    }

    @Test(arguments: [
        ("..", "'..' in path"),
        (".", "'.' in path"),
        ("", "empty path component"),
        ("/tmp/x", "'/' inside a path component"),
        ("a\u{0}", "NUL byte in a path component"),
    ])
    func unsafeNames(name: String, reason: String) {
        #expect(parseError(info: singleFileInfo(name: name)) == .unsafePath(reason))
        #expect(parseError(info: multiFileInfo(name: name, files: [fileEntry(["a"], 1)])) == .unsafePath(reason))
    }

    @Test func unsafeUtf8NameWinsOverSafeName() {
        let info = singleFileInfo(name: "safe").setting("name.utf-8", "..")
        #expect(parseError(info: info) == .unsafePath("'..' in path"))
    }

    @Test func unsafeUtf8PathWinsOverSafePath() {
        let entry = fileEntry(["safe"], 10).setting("path.utf-8", ["..", "x"])
        #expect(parseError(info: multiFileInfo(files: [entry])) == .unsafePath("'..' in path"))
    }

    @Test func padFilesMustHaveSafePathsToo() {
        let info = multiFileInfo(files: [fileEntry(["a"], 10), fileEntry(["..", "pad"], 6, padding: true)])
        #expect(parseError(info: info) == .unsafePath("'..' in path"))
    }

    @Test func nulInsideRawBytesOfAComponent() {
        let entry: BencodeValue = ["length": 4, "path": [.bytes([0x61, 0x00, 0x62])]]
        #expect(parseError(info: multiFileInfo(files: [entry])) == .unsafePath("NUL byte in a path component"))
    }

    // MARK: Clashing paths

    @Test func duplicatePathsAreRefused() {
        let info = multiFileInfo(files: [fileEntry(["a", "b"], 10), fileEntry(["c"], 1), fileEntry(["a", "b"], 20)])
        #expect(parseError(info: info) == .unsafePath("'a/b' appears twice"))
    }

    @Test func fileThenFolderOfTheSameNameIsRefused() {
        let info = multiFileInfo(files: [fileEntry(["a"], 10), fileEntry(["a", "b"], 10)])
        #expect(parseError(info: info) == .unsafePath("'a' is both a file and a folder"))
    }

    @Test func deepFileThenFolderOfTheSameNameIsRefused() {
        let info = multiFileInfo(files: [fileEntry(["x", "y"], 10), fileEntry(["x", "y", "z", "w"], 10)])
        #expect(parseError(info: info) == .unsafePath("'x/y' is both a file and a folder"))
    }

    @Test func folderThenFileOfTheSameNameIsRefused() {
        let info = multiFileInfo(files: [fileEntry(["a", "b"], 10), fileEntry(["a"], 10)])
        let error = parseError(info: info)
        guard case .unsafePath(let reason) = error else {
            Issue.record("expected unsafePath, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("'a'"))
    }

    @Test func siblingsAndSimilarNamesAreFine() throws {
        let info = multiFileInfo(files: [
            fileEntry(["a", "b"], 10), fileEntry(["a", "c"], 10), fileEntry(["ab"], 10), fileEntry(["b", "a"], 10),
            fileEntry(["A", "b"], 10),
        ])
        #expect(try parse(info: info).files.count == 5)
    }

    @Test func padFileDoesNotClashWithARealFile() throws {
        // Pad files are never written, so a pad named like a real file is harmless.
        let info = multiFileInfo(files: [
            fileEntry([".pad"], 10), fileEntry([".pad", "6"], 6, padding: true), fileEntry(["b"], 10),
        ])
        #expect(try parse(info: info).dataFiles.map(\.path) == [[".pad"], ["b"]])
    }

    // MARK: Inconsistent sizes

    @Test func negativeSingleFileLength() {
        let info = singleFileInfo().setting("length", -1)
        #expect(parseError(info: info) == .inconsistentSizes("file length -1 is negative"))
    }

    @Test func negativeMultiFileLength() {
        let info = multiFileInfo(files: [fileEntry(["a"], 20_000), fileEntry(["b"], -5)])
        #expect(parseError(info: info) == .inconsistentSizes("file length -5 is negative"))
    }

    @Test func lengthsThatOverflowAreRefused() {
        let info: BencodeValue = [
            "name": "huge",
            "files": [fileEntry(["a"], .max), fileEntry(["b"], 1)],
            "piece length": 16_384,
            "pieces": .bytes(fakePieceHashes(count: 1)),
        ]
        #expect(parseError(info: info) == .inconsistentSizes("file lengths add up beyond 2^63 bytes"))
    }

    @Test func lengthBeyond64BitsIsABencodeError() {
        var bytes = utf8("d4:infod6:lengthi9223372036854775808e4:name1:a12:piece lengthi16384e6:pieces20:")
        bytes += fakePieceHashes(count: 1)
        bytes += utf8("ee")
        #expect(parseError(bytes) == .bencode(BencodeError(.integerOverflow, at: 17)))
    }

    @Test func hugeSingleFileNeedsMatchingHashes() {
        let info = singleFileInfo(length: 10).setting("length", .integer(.max))
        #expect(
            parseError(info: info)
                == .inconsistentSizes(
                    "1 piece hashes for 9223372036854775807 bytes in pieces of 16384 (expected 562949953421312)"))
    }

    @Test(arguments: [1, 19, 21, 39, 41])
    func piecesNotAMultipleOf20(count: Int) {
        let info = singleFileInfo().setting("pieces", .bytes([UInt8](repeating: 7, count: count)))
        #expect(parseError(info: info) == .inconsistentSizes("'pieces' is \(count) bytes, not a multiple of 20"))
    }

    @Test func tooFewPieceHashes() {
        let info = singleFileInfo(length: 40_000).setting("pieces", .bytes(fakePieceHashes(count: 2)))
        #expect(
            parseError(info: info)
                == .inconsistentSizes("2 piece hashes for 40000 bytes in pieces of 16384 (expected 3)"))
    }

    @Test func tooManyPieceHashes() {
        let info = singleFileInfo(length: 40_000).setting("pieces", .bytes(fakePieceHashes(count: 4)))
        #expect(
            parseError(info: info)
                == .inconsistentSizes("4 piece hashes for 40000 bytes in pieces of 16384 (expected 3)"))
    }

    @Test func exactMultipleOfThePieceLength() throws {
        #expect(try parse(info: singleFileInfo(length: 32_768)).pieceCount == 2)
        #expect(
            parseError(info: singleFileInfo(length: 32_768).setting("pieces", .bytes(fakePieceHashes(count: 3))))
                == .inconsistentSizes("3 piece hashes for 32768 bytes in pieces of 16384 (expected 2)"))
    }

    @Test func emptyPiecesForEmptyContentIsRefused() {
        let info = singleFileInfo(length: 0).setting("pieces", .bytes([]))
        #expect(parseError(info: info) == .inconsistentSizes("the torrent holds no data"))
    }

    @Test func multiFileTorrentOfEmptyFilesIsRefused() {
        let info = multiFileInfo(files: [fileEntry(["a"], 0), fileEntry(["b"], 0)])
        #expect(parseError(info: info) == .inconsistentSizes("the torrent holds no data"))
    }

    @Test func emptyFilesListIsRefused() {
        let info = multiFileInfo(files: []).setting("pieces", .bytes(fakePieceHashes(count: 1)))
        #expect(parseError(info: info) == .inconsistentSizes("'files' is empty"))
    }

    @Test(arguments: [0, -1, -16_384, Int64.min])
    func nonPositivePieceLength(pieceLength: Int64) {
        let info = singleFileInfo().setting("piece length", .integer(pieceLength))
        #expect(parseError(info: info) == .inconsistentSizes("piece length \(pieceLength) is not positive"))
    }

    @Test func pieceLengthBeyondTheLimit() {
        let info = singleFileInfo().setting("piece length", .integer(.max))
        #expect(parseError(info: info) == .tooLarge("piece length 9223372036854775807 exceeds 134217728"))
    }
}
