import Bencode
import TestSupport
import Testing
import TorrentModel

@Suite("Metainfo parsing")
struct MetainfoParsingTests {
    // MARK: Single- and multi-file

    @Test func singleFileTorrent() throws {
        let info: BencodeValue = [
            "name": "movie.mkv",
            "length": 40_000,
            "piece length": 16_384,
            "pieces": .bytes(fakePieceHashes(count: 3)),
        ]
        let metainfo = try parse(info: info)

        #expect(metainfo.name == "movie.mkv")
        #expect(metainfo.isMultiFile == false)
        #expect(metainfo.pieceLength == 16_384)
        #expect(metainfo.pieceHashes == fakePieceHashes(count: 3))
        #expect(metainfo.pieceCount == 3)
        #expect(metainfo.totalLength == 40_000)
        #expect(metainfo.files == [TorrentFile(path: ["movie.mkv"], length: 40_000, offset: 0)])
        #expect(metainfo.dataFiles == metainfo.files)
        #expect(metainfo.isPrivate == false)
        #expect(metainfo.trackerTiers.isEmpty)
        #expect(metainfo.trackers.isEmpty)
        #expect(metainfo.webSeeds.isEmpty)
        #expect(metainfo.creationDate == nil)
        #expect(metainfo.comment == nil)
        #expect(metainfo.createdBy == nil)
        #expect(metainfo.geometry == PieceGeometry(totalLength: 40_000, pieceLength: 16_384))
        #expect(Array(metainfo.hash(ofPiece: 0)) == [UInt8](repeating: 1, count: 20))
        #expect(Array(metainfo.hash(ofPiece: 2)) == [UInt8](repeating: 3, count: 20))
    }

    @Test func infoBytesAndHashOfACanonicalTorrent() throws {
        let info = singleFileInfo(name: "a.txt", length: 5)
        let metainfo = try parse(info: info, ["announce": "http://tracker.example/announce"])
        #expect(metainfo.infoBytes == encode(info))
        #expect(metainfo.infoHash.bytes == ReferenceSHA1.hash(encode(info)))
    }

    @Test func multiFileTorrent() throws {
        let info = multiFileInfo(
            name: "album",
            files: [
                fileEntry(["cd1", "01 intro.flac"], 10_000),
                fileEntry(["cd1", "02 song.flac"], 0),
                fileEntry(["cd2", "01 outro.flac"], 30_000),
                fileEntry(["cover.jpg"], 123),
            ])
        let metainfo = try parse(info: info)

        #expect(metainfo.name == "album")
        #expect(metainfo.isMultiFile == true)
        #expect(
            metainfo.files == [
                TorrentFile(path: ["cd1", "01 intro.flac"], length: 10_000, offset: 0),
                TorrentFile(path: ["cd1", "02 song.flac"], length: 0, offset: 10_000),
                TorrentFile(path: ["cd2", "01 outro.flac"], length: 30_000, offset: 10_000),
                TorrentFile(path: ["cover.jpg"], length: 123, offset: 40_000),
            ])
        #expect(metainfo.totalLength == 40_123)
        #expect(metainfo.pieceCount == 3)
        #expect(metainfo.files[2].pathString == "cd2/01 outro.flac")
        #expect(metainfo.files[2].byteRange == 10_000..<40_000)
    }

    @Test func multiFileTorrentWithOneFileStaysMultiFile() throws {
        let metainfo = try parse(info: multiFileInfo(name: "dir", files: [fileEntry(["only.txt"], 7)]))
        #expect(metainfo.isMultiFile == true)
        #expect(metainfo.files == [TorrentFile(path: ["only.txt"], length: 7, offset: 0)])
    }

    @Test func utf8VariantsOfNameAndPathWin() throws {
        let info = multiFileInfo(
            name: "legacy",
            files: [
                fileEntry(["old"], 10).setting("path.utf-8", ["Grüße", "ü.txt"])
            ]
        ).setting("name.utf-8", "Ordner")
        let metainfo = try parse(info: info)
        #expect(metainfo.name == "Ordner")
        #expect(metainfo.files.map(\.path) == [["Grüße", "ü.txt"]])
    }

    @Test func arbitraryPieceLengthThatIsNotAPowerOfTwoIsAccepted() throws {
        let metainfo = try parse(info: singleFileInfo(length: 100, pieceLength: 30))
        #expect(metainfo.pieceLength == 30)
        #expect(metainfo.pieceCount == 4)
        #expect(metainfo.geometry.lastPieceLength == 10)
    }

    @Test func largestAcceptedPieceLength() throws {
        let limit = Int64(TorrentLimits.maximumPieceLength)
        #expect(try parse(info: singleFileInfo(length: limit + 1, pieceLength: limit)).pieceCount == 2)
        #expect(
            parseError(info: singleFileInfo(length: 10, pieceLength: limit + 1))
                == .tooLarge("piece length 134217729 exceeds 134217728"))
    }

    // MARK: Trackers (BEP 12)

    @Test func announceAloneIsOneTier() throws {
        let metainfo = try parse(info: singleFileInfo(), ["announce": "udp://tracker.example:6969"])
        #expect(metainfo.trackerTiers == [["udp://tracker.example:6969"]])
        #expect(metainfo.trackers == ["udp://tracker.example:6969"])
    }

    @Test func announceListTiersWinOverAnnounce() throws {
        let metainfo = try parse(
            info: singleFileInfo(),
            [
                "announce": "http://a.example/announce",
                "announce-list": [
                    ["http://a.example/announce", "http://b.example/announce"],
                    ["udp://c.example:80"],
                    ["http://b.example/announce"],
                ],
            ])
        #expect(
            metainfo.trackerTiers == [
                ["http://a.example/announce", "http://b.example/announce"],
                ["udp://c.example:80"],
                ["http://b.example/announce"],
            ])
        #expect(metainfo.trackers == ["http://a.example/announce", "http://b.example/announce", "udp://c.example:80"])
    }

    @Test func emptyTiersAndEmptyOrNonTextTrackersAreDropped() throws {
        let metainfo = try parse(
            info: singleFileInfo(),
            ["announce-list": [[], ["", "http://x.example/a", 42], [""], ["udp://y.example:1"]]])
        #expect(metainfo.trackerTiers == [["http://x.example/a"], ["udp://y.example:1"]])
    }

    @Test func emptyAnnounceListFallsBackToAnnounce() throws {
        let metainfo = try parse(
            info: singleFileInfo(), ["announce": "http://fallback.example/a", "announce-list": [[""], []]])
        #expect(metainfo.trackerTiers == [["http://fallback.example/a"]])
    }

    @Test func emptyAnnounceMeansNoTrackers() throws {
        #expect(try parse(info: singleFileInfo(), ["announce": ""]).trackerTiers == [])
    }

    @Test func announceListOfTheWrongShapeIsRefused() {
        let expected = MetainfoError.wrongType(key: "announce-list", expected: "a list of lists")
        #expect(parseError(info: singleFileInfo(), ["announce-list": "http://a.example"]) == expected)
        #expect(parseError(info: singleFileInfo(), ["announce-list": ["http://a.example"]]) == expected)
    }

    // MARK: Private (BEP 27)

    @Test func privateFlag() throws {
        #expect(try parse(info: singleFileInfo().setting("private", 1)).isPrivate == true)
        #expect(try parse(info: singleFileInfo().setting("private", 0)).isPrivate == false)
        #expect(try parse(info: singleFileInfo()).isPrivate == false)
        #expect(
            parseError(info: singleFileInfo().setting("private", "1"))
                == .wrongType(key: "info.private", expected: "an integer"))
    }

    @Test func privateFlagChangesTheInfohash() throws {
        let open = try parse(info: singleFileInfo())
        let closed = try parse(info: singleFileInfo().setting("private", 1))
        #expect(open.infoHash != closed.infoHash)
    }

    // MARK: Web seeds (BEP 19)

    @Test func urlListAsString() throws {
        let metainfo = try parse(info: singleFileInfo(), ["url-list": "https://mirror.example/file.bin"])
        #expect(metainfo.webSeeds == ["https://mirror.example/file.bin"])
    }

    @Test func urlListAsList() throws {
        let metainfo = try parse(
            info: singleFileInfo(), ["url-list": ["https://a.example/", "", 7, "https://b.example/"]])
        #expect(metainfo.webSeeds == ["https://a.example/", "https://b.example/"])
    }

    @Test func emptyUrlListStringMeansNoWebSeeds() throws {
        #expect(try parse(info: singleFileInfo(), ["url-list": ""]).webSeeds == [])
    }

    @Test func urlListOfTheWrongTypeIsRefused() {
        #expect(
            parseError(info: singleFileInfo(), ["url-list": 5])
                == .wrongType(key: "url-list", expected: "a string or a list of strings"))
    }

    // MARK: Pad files (BEP 47)

    @Test func padFiles() throws {
        let info = multiFileInfo(
            files: [
                fileEntry(["a.bin"], 1000),
                fileEntry([".pad", "15384"], 15_384, padding: true),
                fileEntry(["b.bin"], 20_000),
                fileEntry([".pad", "12768"], 12_768, padding: true),
                fileEntry(["c.bin"], 1),
            ])
        let metainfo = try parse(info: info)
        #expect(metainfo.files.map(\.isPadding) == [false, true, false, true, false])
        #expect(metainfo.files.map(\.offset) == [0, 1000, 16_384, 36_384, 49_152])
        #expect(metainfo.dataFiles.map(\.path) == [["a.bin"], ["b.bin"], ["c.bin"]])
        #expect(metainfo.totalLength == 49_153)
        #expect(metainfo.pieceCount == 4)
    }

    @Test func attrWithOtherFlagsStillMarksPadding() throws {
        let info = multiFileInfo(files: [
            fileEntry(["a"], 10), fileEntry([".pad", "6"], 6).setting("attr", "xp"), fileEntry(["b"], 10),
        ])
        #expect(try parse(info: info).files.map(\.isPadding) == [false, true, false])
    }

    @Test func attrWithoutPIsNotPadding() throws {
        let info = multiFileInfo(files: [fileEntry(["a"], 10), fileEntry(["hidden"], 6).setting("attr", "hx")])
        #expect(try parse(info: info).files.map(\.isPadding) == [false, false])
    }

    @Test func padFilesMayShareAPath() throws {
        let info = multiFileInfo(files: [
            fileEntry(["a"], 10),
            fileEntry([".pad", "6"], 6, padding: true),
            fileEntry(["b"], 10),
            fileEntry([".pad", "6"], 6, padding: true),
            fileEntry(["c"], 10),
        ])
        #expect(try parse(info: info).files.count == 5)
    }

    // MARK: Descriptive fields

    @Test func creationDateCommentAndCreatedBy() throws {
        let metainfo = try parse(
            info: singleFileInfo(),
            ["creation date": 1_700_000_000, "comment": "hello, swarm", "created by": "Shoal 0.1"])
        #expect(metainfo.creationDate == 1_700_000_000)
        #expect(metainfo.comment == "hello, swarm")
        #expect(metainfo.createdBy == "Shoal 0.1")
    }

    @Test func commentUtf8VariantWins() throws {
        let metainfo = try parse(info: singleFileInfo(), ["comment": "old", "comment.utf-8": "neu ✓"])
        #expect(metainfo.comment == "neu ✓")
    }

    @Test func mistypedOrNonUtf8CommentAndCreatedByCountAsAbsent() throws {
        let metainfo = try parse(info: singleFileInfo(), ["comment": 12, "created by": .bytes([0xFF, 0xFE])])
        #expect(metainfo.comment == nil)
        #expect(metainfo.createdBy == nil)
    }

    @Test func creationDateMustBeAnInteger() {
        #expect(
            parseError(info: singleFileInfo(), ["creation date": "2024-01-01"])
                == .wrongType(key: "creation date", expected: "an integer"))
    }

    @Test func descriptiveFieldsDoNotChangeTheInfohash() throws {
        let plain = try parse(info: singleFileInfo())
        let decorated = try parse(
            info: singleFileInfo(),
            [
                "announce": "http://t.example/a", "creation date": 1, "comment": "c", "created by": "x",
                "url-list": "http://w.example/",
            ])
        #expect(plain.infoHash == decorated.infoHash)
        #expect(plain.infoBytes == decorated.infoBytes)
    }

    // MARK: Lenient parsing and the exact info bytes

    /// Keys out of order, as some old torrent makers wrote them: an `info` with "name" before "length"
    /// and "pieces" before "piece length".
    static let unsortedInfo: [UInt8] =
        utf8("d4:name5:a.txt6:lengthi5e6:pieces20:") + fakePieceHashes(count: 1) + utf8("12:piece lengthi16384ee")

    /// A torrent whose top-level keys are out of order too ("announce", "info", "comment").
    static let unsortedTorrent: [UInt8] =
        utf8("d8:announce18:http://t.example/a4:info") + unsortedInfo + utf8("7:comment2:hie")

    @Test func unsortedKeysAreAcceptedAndTheInfohashCoversTheExactBytes() throws {
        let metainfo = try Metainfo(bytes: Self.unsortedTorrent)
        #expect(metainfo.name == "a.txt")
        #expect(metainfo.totalLength == 5)
        #expect(metainfo.trackerTiers == [["http://t.example/a"]])
        #expect(metainfo.comment == "hi")
        #expect(metainfo.infoBytes == Self.unsortedInfo)
        #expect(metainfo.infoHash.bytes == ReferenceSHA1.hash(Self.unsortedInfo))

        // Re-encoding would sort the keys and give a different hash; the parser must not do that.
        let canonical = encode(try BencodeDecoder(requiresSortedKeys: false).decode(Self.unsortedInfo).value)
        #expect(canonical != Self.unsortedInfo)
        #expect(metainfo.infoHash.bytes != ReferenceSHA1.hash(canonical))
    }

    @Test func nonCanonicalButValidInfoBytesAreHashedAsGiven() throws {
        // Same content as a canonical info, but with an unknown key that sorts first and a nested
        // dictionary: the infohash covers all of it.
        var info = utf8("d1:Ad1:zi1e1:ai2ee6:lengthi5e4:name5:a.txt12:piece lengthi16384e6:pieces20:")
        info += fakePieceHashes(count: 1)
        info += utf8("e")
        let bytes = utf8("d4:info") + info + utf8("e")
        let metainfo = try Metainfo(bytes: bytes)
        #expect(metainfo.infoBytes == info)
        #expect(metainfo.infoHash.bytes == ReferenceSHA1.hash(info))
    }

    @Test func duplicateKeysAreRefusedEvenWhenUnsorted() {
        var info = utf8("d4:name1:a6:lengthi5e4:name1:b12:piece lengthi16384e6:pieces20:")
        info += fakePieceHashes(count: 1)
        info += utf8("e")
        let bytes = utf8("d4:info") + info + utf8("e")
        // The second "name" key starts at byte 7 (root) + 21 (offset inside info).
        #expect(parseError(bytes) == .bencode(BencodeError(.duplicateKey, at: 28)))
    }

    // MARK: Metainfo(infoBytes:)

    @Test func infoBytesAloneGiveTheSameTorrent() throws {
        let info = multiFileInfo(name: "set", files: [fileEntry(["x"], 20_000), fileEntry(["y", "z"], 1)])
        let whole = try parse(info: info, ["announce": "http://t.example/a", "comment": "c"])
        let fromInfo = try Metainfo(infoBytes: encode(info))

        #expect(fromInfo.infoHash == whole.infoHash)
        #expect(fromInfo.infoBytes == encode(info))
        #expect(fromInfo.name == "set")
        #expect(fromInfo.files == whole.files)
        #expect(fromInfo.pieceHashes == whole.pieceHashes)
        #expect(fromInfo.trackerTiers == [])
        #expect(fromInfo.comment == nil)
    }

    @Test func infoBytesWithUnsortedKeysAreHashedAsGiven() throws {
        let metainfo = try Metainfo(infoBytes: Self.unsortedInfo)
        #expect(metainfo.infoHash.bytes == ReferenceSHA1.hash(Self.unsortedInfo))
        #expect(metainfo.infoHash == (try Metainfo(bytes: Self.unsortedTorrent)).infoHash)
    }

    @Test func infoBytesErrors() {
        #expect(throws: MetainfoError.wrongType(key: "info", expected: "a dictionary")) {
            try Metainfo(infoBytes: utf8("li1ee"))
        }
        #expect(throws: MetainfoError.bencode(BencodeError(.truncated, at: 1))) {
            try Metainfo(infoBytes: utf8("d"))
        }
        #expect(throws: MetainfoError.bencode(BencodeError(.lengthBeyondInput(4), at: 1))) {
            try Metainfo(infoBytes: utf8("d4:"))
        }
        #expect(throws: MetainfoError.bencode(BencodeError(.trailingBytes(count: 1), at: 2))) {
            try Metainfo(infoBytes: utf8("dee"))
        }
        #expect(throws: MetainfoError.missingKey("info.name")) {
            try Metainfo(infoBytes: utf8("de"))
        }
    }

    // MARK: Structural errors

    @Test func notBencode() {
        #expect(parseError(utf8("")) == .bencode(BencodeError(.truncated, at: 0)))
        #expect(parseError(utf8("hello")) == .bencode(BencodeError(.unexpectedByte(UInt8(ascii: "h")), at: 0)))
        #expect(parseError(utf8("d4:infodeee")) == .bencode(BencodeError(.trailingBytes(count: 1), at: 10)))
    }

    @Test func topLevelMustBeADictionary() {
        #expect(parseError(utf8("le")) == .notADictionary)
        #expect(parseError(utf8("i3e")) == .notADictionary)
        #expect(parseError(utf8("4:info")) == .notADictionary)
    }

    @Test func infoMustBeADictionary() {
        #expect(parseError(utf8("de")) == .missingKey("info"))
        #expect(parseError(utf8("d4:infoli1eee")) == .wrongType(key: "info", expected: "a dictionary"))
        #expect(parseError(encode(["info.utf-8": singleFileInfo()])) == .missingKey("info"))
    }

    @Test func missingKeys() {
        #expect(parseError(info: singleFileInfo().setting("name", nil)) == .missingKey("info.name"))
        #expect(parseError(info: singleFileInfo().setting("piece length", nil)) == .missingKey("info.piece length"))
        #expect(parseError(info: singleFileInfo().setting("pieces", nil)) == .missingKey("info.pieces"))
        #expect(parseError(info: singleFileInfo().setting("length", nil)) == .missingKey("info.length or info.files"))
        #expect(
            parseError(info: multiFileInfo(files: [["path": ["a"]]]))
                == .missingKey("info.files[].length"))
        #expect(
            parseError(info: multiFileInfo(files: [["length": 10]]))
                == .missingKey("info.files[].path"))
    }

    @Test func wrongTypes() {
        #expect(parseError(info: singleFileInfo().setting("name", 5)) == .wrongType(key: "name", expected: "a string"))
        #expect(
            parseError(info: singleFileInfo().setting("piece length", "16384"))
                == .wrongType(key: "info.piece length", expected: "an integer"))
        #expect(
            parseError(info: singleFileInfo().setting("pieces", [1]))
                == .wrongType(key: "info.pieces", expected: "a byte string"))
        #expect(
            parseError(info: singleFileInfo().setting("length", "5"))
                == .wrongType(key: "info.length", expected: "an integer"))
        #expect(
            parseError(info: singleFileInfo().setting("length", nil).setting("files", ["a"]))
                == .wrongType(key: "info.files[]", expected: "a dictionary"))
        #expect(
            parseError(info: singleFileInfo().setting("length", nil).setting("files", ["path": "a"]))
                == .wrongType(key: "info.files", expected: "a list"))
        #expect(
            parseError(info: multiFileInfo(files: [["length": "1", "path": ["a"]]]))
                == .wrongType(key: "info.files[].length", expected: "an integer"))
        #expect(
            parseError(info: multiFileInfo(files: [["length": 1, "path": "a"]]))
                == .wrongType(key: "info.files[].path", expected: "a list of strings"))
        #expect(
            parseError(info: multiFileInfo(files: [["length": 1, "path": [["a"]]]]))
                == .wrongType(key: "info.files[].path", expected: "a list of strings"))
    }

    @Test func lengthAndFilesTogetherAreRefused() {
        let info = multiFileInfo(files: [fileEntry(["a"], 5)]).setting("length", 5)
        #expect(parseError(info: info) == .invalidValue(key: "info", reason: "has both 'length' and 'files'"))
    }

    @Test func nonUtf8NamesAndPathsAreRefused() {
        #expect(
            parseError(info: singleFileInfo().setting("name", .bytes([0x61, 0xFF])))
                == .invalidValue(key: "name", reason: "not valid UTF-8"))
        #expect(
            parseError(info: multiFileInfo(files: [["length": 1, "path": [.bytes([0xC3])]]]))
                == .invalidValue(key: "info.files[].path", reason: "not valid UTF-8"))
    }

    @Test func errorDescriptionsNameTheProblem() {
        #expect(MetainfoError.missingKey("info.pieces").description == "not a torrent: missing 'info.pieces'")
        #expect(MetainfoError.notADictionary.description == "not a torrent: the top level is not a dictionary")
        #expect(
            MetainfoError.wrongType(key: "url-list", expected: "a list").description == "'url-list' should be a list")
        #expect(MetainfoError.unsafePath("'..' in path").description == "unsafe file path: '..' in path")
        #expect(
            MetainfoError.bencode(BencodeError(.truncated, at: 4)).description
                == "bencode: input ends in the middle of a value at byte 4")
        #expect(MetainfoError.inconsistentSizes("x").description == "inconsistent sizes: x")
        #expect(MetainfoError.tooLarge("y").description == "too large: y")
        #expect(MetainfoError.invalidValue(key: "k", reason: "r").description == "'k' is invalid: r")
    }

    // MARK: Magnet of a torrent

    @Test func magnetOfATorrent() throws {
        let metainfo = try parse(
            info: singleFileInfo(name: "file.bin"),
            [
                "announce-list": [["http://a.example/a"], ["http://b.example/b", "http://a.example/a"]],
                "url-list": "http://w.example/file.bin",
            ])
        let magnet = metainfo.magnet
        #expect(magnet.infoHash == metainfo.infoHash)
        #expect(magnet.displayName == "file.bin")
        #expect(magnet.trackers == ["http://a.example/a", "http://b.example/b"])
        #expect(magnet.webSeeds == ["http://w.example/file.bin"])
        #expect(magnet.peers == [])
        #expect(magnet.selectedFiles == nil)
    }
}
