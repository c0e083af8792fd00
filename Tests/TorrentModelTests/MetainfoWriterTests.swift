import Bencode
import TestSupport
import Testing
import TorrentModel

@Suite("Metainfo writer")
struct MetainfoWriterTests {
    static let hashes = fakePieceHashes(count: 3)

    static let multiFiles = TorrentLayout.place(
        [.init(path: ["a.txt"], length: 10_000), .init(path: ["sub", "b.bin"], length: 20_000)], pieceLength: 16_384,
        alignToPieces: true)

    static func multiInfo(isPrivate: Bool = false) -> BencodeValue {
        MetainfoWriter.info(
            name: "pack", files: multiFiles, isMultiFile: true, pieceLength: 16_384, pieceHashes: hashes,
            isPrivate: isPrivate)
    }

    // MARK: info

    @Test func singleFileInfoIsExactlyTheBep3Dictionary() {
        let info = MetainfoWriter.info(
            name: "a.txt", files: [TorrentFile(path: ["a.txt"], length: 5, offset: 0)], isMultiFile: false,
            pieceLength: 16_384, pieceHashes: fakePieceHashes(count: 1), isPrivate: false)
        let expected: BencodeValue = [
            "name": "a.txt", "length": 5, "piece length": 16_384, "pieces": .bytes(fakePieceHashes(count: 1)),
        ]
        #expect(info == expected)
        #expect(
            encode(info) == utf8("d6:lengthi5e4:name5:a.txt12:piece lengthi16384e6:pieces20:")
                + fakePieceHashes(count: 1) + utf8("e"))
    }

    @Test func multiFileInfoWithPadFilesAndPrivateFlag() {
        let expected: BencodeValue = [
            "name": "pack",
            "piece length": 16_384,
            "pieces": .bytes(Self.hashes),
            "private": 1,
            "files": [
                ["length": 10_000, "path": ["a.txt"]],
                ["length": 6_384, "path": [".pad", "6384"], "attr": "p"],
                ["length": 20_000, "path": ["sub", "b.bin"]],
            ],
        ]
        #expect(Self.multiInfo(isPrivate: true) == expected)
    }

    @Test func infoHoldsOnlyWhatTheContentDetermines() throws {
        let info = try #require(Self.multiInfo().dictionaryValue)
        #expect(Set(info.keys) == Set(["files", "name", "piece length", "pieces"].map(utf8)))
    }

    // MARK: Whole torrent

    @Test func minimalTorrentBytes() {
        let info: BencodeValue = [
            "name": "x", "length": 1, "piece length": 16_384, "pieces": .bytes(fakePieceHashes(count: 1)),
        ]
        let bytes = MetainfoWriter.torrent(info: info, options: TorrentOptions())
        #expect(bytes == utf8("d4:info") + encode(info) + utf8("e"))
    }

    @Test func allOptionsAreWrittenOutsideInfo() throws {
        let options = TorrentOptions(
            trackerTiers: [["http://a.example/announce", "http://b.example/announce"], ["udp://c.example:6969"]],
            webSeeds: ["https://w1.example/", "https://w2.example/"], isPrivate: true, comment: "a comment",
            createdBy: "Shoal test", creationDate: 1_700_000_000)
        let info = Self.multiInfo(isPrivate: options.isPrivate)
        let bytes = MetainfoWriter.torrent(info: info, options: options)
        let expected: BencodeValue = [
            "info": info,
            "announce": "http://a.example/announce",
            "announce-list": [["http://a.example/announce", "http://b.example/announce"], ["udp://c.example:6969"]],
            "url-list": ["https://w1.example/", "https://w2.example/"],
            "comment": "a comment",
            "created by": "Shoal test",
            "creation date": 1_700_000_000,
        ]
        #expect(bytes == encode(expected))
    }

    @Test func oneTrackerIsWrittenAsAnnounceOnly() throws {
        let bytes = MetainfoWriter.torrent(
            info: Self.multiInfo(), options: TorrentOptions(trackerTiers: [[], ["http://only.example/a"], []]))
        let root = try BencodeDecoder.decode(bytes).value
        #expect(root["announce"] == "http://only.example/a")
        #expect(root["announce-list"] == nil)
    }

    @Test func oneTierOfSeveralTrackersGetsAnAnnounceList() throws {
        let bytes = MetainfoWriter.torrent(
            info: Self.multiInfo(), options: TorrentOptions(trackerTiers: [["http://a/1", "http://b/2"]]))
        let root = try BencodeDecoder.decode(bytes).value
        #expect(root["announce"] == "http://a/1")
        #expect(root["announce-list"] == [["http://a/1", "http://b/2"]])
    }

    @Test func oneWebSeedIsAString() throws {
        let bytes = MetainfoWriter.torrent(info: Self.multiInfo(), options: TorrentOptions(webSeeds: ["http://w/"]))
        #expect(try BencodeDecoder.decode(bytes).value["url-list"] == "http://w/")
    }

    @Test func writtenTorrentsAreCanonicalBencode() throws {
        let bytes = MetainfoWriter.torrent(
            info: Self.multiInfo(),
            options: TorrentOptions(trackerTiers: [["http://t/"]], comment: "é", creationDate: 5))
        // The strict decoder refuses unsorted keys; re-encoding gives the same bytes.
        let node = try BencodeDecoder().decode(bytes)
        #expect(encode(node.value) == bytes)
    }

    // MARK: Round trip

    @Test func writeThenParseGivesBackEverything() throws {
        let options = TorrentOptions(
            trackerTiers: [["http://a.example/announce", "http://b.example/announce"], ["udp://c.example:6969"]],
            webSeeds: ["https://w1.example/"], isPrivate: true, comment: "Grüße", createdBy: "Shoal 1.0",
            creationDate: 1_234_567_890)
        let info = Self.multiInfo(isPrivate: true)
        let metainfo = try Metainfo(bytes: MetainfoWriter.torrent(info: info, options: options))

        #expect(metainfo.name == "pack")
        #expect(metainfo.isMultiFile)
        #expect(metainfo.files == Self.multiFiles)
        #expect(metainfo.pieceLength == 16_384)
        #expect(metainfo.pieceHashes == Self.hashes)
        #expect(metainfo.isPrivate)
        #expect(metainfo.trackerTiers == options.trackerTiers)
        #expect(metainfo.webSeeds == options.webSeeds)
        #expect(metainfo.comment == "Grüße")
        #expect(metainfo.createdBy == "Shoal 1.0")
        #expect(metainfo.creationDate == 1_234_567_890)
        #expect(metainfo.infoBytes == encode(info))
        #expect(metainfo.infoHash.bytes == ReferenceSHA1.hash(encode(info)))
    }

    @Test func singleFileRoundTrip() throws {
        let files = [TorrentFile(path: ["movie.mkv"], length: 40_000, offset: 0)]
        let info = MetainfoWriter.info(
            name: "movie.mkv", files: files, isMultiFile: false, pieceLength: 16_384, pieceHashes: Self.hashes,
            isPrivate: false)
        let metainfo = try Metainfo(
            bytes: MetainfoWriter.torrent(info: info, options: TorrentOptions(trackerTiers: [["http://t/a"]])))
        #expect(!metainfo.isMultiFile)
        #expect(metainfo.files == files)
        #expect(metainfo.trackerTiers == [["http://t/a"]])
        #expect(!metainfo.isPrivate)
    }

    // MARK: Determinism

    @Test func sameInputGivesTheSameBytesAndInfohash() throws {
        let options = TorrentOptions(trackerTiers: [["http://t/"]], comment: "c", creationDate: 1)
        let first = MetainfoWriter.torrent(info: Self.multiInfo(), options: options)
        let second = MetainfoWriter.torrent(info: Self.multiInfo(), options: options)
        #expect(first == second)
        #expect(try Metainfo(bytes: first).infoHash == Metainfo(bytes: second).infoHash)
    }

    @Test func descriptiveOptionsNeverChangeTheInfohash() throws {
        let plain = try Metainfo(bytes: MetainfoWriter.torrent(info: Self.multiInfo(), options: TorrentOptions()))
        let variants = [
            TorrentOptions(creationDate: 1),
            TorrentOptions(creationDate: 2_000_000_000),
            TorrentOptions(comment: "different"),
            TorrentOptions(createdBy: "another tool"),
            TorrentOptions(trackerTiers: [["http://x/"], ["http://y/"]], webSeeds: ["http://w/"]),
        ]
        for options in variants {
            let other = try Metainfo(bytes: MetainfoWriter.torrent(info: Self.multiInfo(), options: options))
            #expect(other.infoHash == plain.infoHash)
            #expect(other.infoBytes == plain.infoBytes)
        }
        #expect(plain.infoHash.hex == hexString(ReferenceSHA1.hash(encode(Self.multiInfo()))))
    }

    @Test func noTimestampsOrToolNamesInInfo() throws {
        let bytes = MetainfoWriter.torrent(
            info: Self.multiInfo(), options: TorrentOptions(comment: "c", createdBy: "tool", creationDate: 99))
        let metainfo = try Metainfo(bytes: bytes)
        let info = try BencodeDecoder.decode(metainfo.infoBytes).value
        for key in ["creation date", "created by", "comment", "announce", "url-list"] {
            #expect(info[key] == nil, "info has '\(key)'")
        }
    }

    @Test func contentChangesChangeTheInfohash() throws {
        func hash(_ info: BencodeValue) throws -> InfoHash {
            try Metainfo(bytes: MetainfoWriter.torrent(info: info, options: TorrentOptions())).infoHash
        }
        let base = try hash(Self.multiInfo())
        #expect(try hash(Self.multiInfo(isPrivate: true)) != base)
        var otherHashes = Self.hashes
        otherHashes[59] ^= 1
        #expect(
            try hash(
                MetainfoWriter.info(
                    name: "pack", files: Self.multiFiles, isMultiFile: true, pieceLength: 16_384,
                    pieceHashes: otherHashes, isPrivate: false)) != base)
        #expect(
            try hash(
                MetainfoWriter.info(
                    name: "pack2", files: Self.multiFiles, isMultiFile: true, pieceLength: 16_384,
                    pieceHashes: Self.hashes, isPrivate: false)) != base)
    }

    // MARK: raw info

    @Test func aRawInfoDictionaryIsKeptByteForByte() throws {
        let info = encode(Self.multiInfo())
        let original = try Metainfo(infoBytes: info)
        let options = TorrentOptions(
            trackerTiers: [["http://a.example/announce"], ["udp://b.example:6969"]], webSeeds: ["http://w.example/"])
        let bytes = MetainfoWriter.torrent(rawInfo: info, options: options)
        let parsed = try Metainfo(bytes: bytes)
        #expect(parsed.infoBytes == info)
        #expect(parsed.infoHash == original.infoHash)
        #expect(parsed.trackerTiers == options.trackerTiers)
        #expect(parsed.webSeeds == options.webSeeds)
        // The same bytes as writing the decoded dictionary, for a canonical one.
        #expect(bytes == MetainfoWriter.torrent(info: Self.multiInfo(), options: options))
    }
}
