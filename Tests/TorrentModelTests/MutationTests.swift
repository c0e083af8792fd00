import Bencode
import TestSupport
import Testing
import TorrentModel

/// Feeds thousands of damaged torrents to the parser: it must never crash, and whatever it accepts must
/// still be a consistent, safe torrent.
@Suite("Mutated torrents")
struct MutationTests {
    static let mutationsPerSeed = 2_000

    /// Valid torrents of different shapes to start from.
    static let seeds: [[UInt8]] = {
        let single = singleFileInfo(name: "single.bin", length: 50_000)
        let multi = multiFileInfo(
            name: "folder",
            files: [
                fileEntry(["a.txt"], 1_000), fileEntry([".pad", "15384"], 15_384, padding: true),
                fileEntry(["sub", "b.bin"], 20_000), fileEntry(["sub", "deeper", "c"], 0), fileEntry(["z"], 7),
            ])
        let odd = multiFileInfo(name: "odd", files: [fileEntry(["x"], 10), fileEntry(["y"], 95)], pieceLength: 30)
        return [
            torrent(info: single),
            torrent(info: multi, ["announce": "http://t.example/announce", "comment": "hi", "creation date": 1]),
            torrent(
                info: multi.setting("private", 1),
                [
                    "announce-list": [["http://a.example/a", "http://b.example/b"], ["udp://c.example:1"]],
                    "url-list": ["http://w1.example/", "http://w2.example/"],
                ]),
            torrent(info: odd, ["url-list": "http://w.example/odd", "created by": "test"]),
            MetainfoWriter.torrent(
                info: MetainfoWriter.info(
                    name: "written", files: [TorrentFile(path: ["written"], length: 16_385, offset: 0)],
                    isMultiFile: false, pieceLength: 16_384, pieceHashes: fakePieceHashes(count: 2), isPrivate: true),
                options: TorrentOptions(trackerTiers: [["http://t/"]], webSeeds: ["http://w/"], comment: "c")),
            utf8("d4:infod6:lengthi100e4:name1:n12:piece lengthi64e6:pieces40:")
                + fakePieceHashes(count: 2) + utf8("e8:announce3:abce"),
        ]
    }()

    @Test func splitMix64MatchesTheReferenceOutput() {
        var random = SeededRandom(seed: 0)
        #expect(random.next() == 0xE220_A839_7B1D_CDAF)
        #expect(random.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test func seedsAreValid() throws {
        for seed in Self.seeds {
            let metainfo = try Metainfo(bytes: seed)
            Self.checkInvariants(metainfo, input: seed)
        }
    }

    @Test(arguments: 0..<6)
    func mutatedTorrents(seedIndex: Int) {
        var random = SeededRandom(seed: 0x5EED_0000 + UInt64(seedIndex))
        let original = Self.seeds[seedIndex]
        var accepted = 0
        var rejected = 0
        for _ in 0..<Self.mutationsPerSeed {
            var bytes = original
            for _ in 0..<(1 + random.below(3)) { Self.mutate(&bytes, using: &random) }
            do {
                let metainfo = try Metainfo(bytes: bytes)
                Self.checkInvariants(metainfo, input: bytes)
                accepted += 1
            } catch {
                #expect(!error.description.isEmpty)
                rejected += 1
            }
        }
        #expect(accepted + rejected == Self.mutationsPerSeed)
        // Both paths must really be exercised, or the test proves little.
        #expect(accepted > 0, "no mutation of seed \(seedIndex) was accepted")
        #expect(rejected > Self.mutationsPerSeed / 4, "too few mutations of seed \(seedIndex) were rejected")
    }

    /// What any accepted torrent must satisfy, checked without trusting the parser's own helpers.
    static func checkInvariants(_ metainfo: Metainfo, input: [UInt8]) {
        #expect(metainfo.pieceHashes.count % 20 == 0)
        #expect(metainfo.pieceCount * 20 == metainfo.pieceHashes.count)
        #expect(metainfo.pieceLength > 0 && metainfo.pieceLength <= TorrentLimits.maximumPieceLength)
        #expect(!metainfo.files.isEmpty)

        var offset: Int64 = 0
        var dataPaths: Set<[String]> = []
        for file in metainfo.files {
            #expect(file.length >= 0)
            #expect(file.offset == offset, "files are not contiguous")
            offset += file.length
            #expect(throws: Never.self) { try PathValidator.validate(path: file.path) }
            if !file.isPadding { dataPaths.insert(file.path) }
        }
        #expect(offset == metainfo.totalLength)
        #expect(metainfo.totalLength > 0)
        let expectedPieces = (metainfo.totalLength + Int64(metainfo.pieceLength) - 1) / Int64(metainfo.pieceLength)
        #expect(Int64(metainfo.pieceCount) == expectedPieces)
        #expect(metainfo.geometry.pieceCount == metainfo.pieceCount)
        #expect(throws: Never.self) { try PathValidator.validate(component: metainfo.name) }
        if !metainfo.isMultiFile {
            #expect(metainfo.files.count == 1)
            #expect(metainfo.files.first?.path == [metainfo.name])
        }

        // No data file is listed twice or sits where another one needs a folder.
        #expect(dataPaths.count == metainfo.files.filter { !$0.isPadding }.count, "duplicate paths")
        for path in dataPaths {
            for depth in 1..<path.count {
                #expect(!dataPaths.contains(Array(path[..<depth])), "'\(path)' is under a file")
            }
        }

        // The infohash is the SHA-1 of bytes that really are in the input.
        #expect(metainfo.infoHash.bytes == ReferenceSHA1.hash(metainfo.infoBytes))
        #expect(contains(input, metainfo.infoBytes))
        if let again = try? Metainfo(infoBytes: metainfo.infoBytes) {
            #expect(again.infoHash == metainfo.infoHash)
            #expect(again.files == metainfo.files)
        } else {
            Issue.record("the accepted info bytes do not parse alone")
        }
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        return (0...(haystack.count - needle.count)).contains { start in
            haystack[start..<(start + needle.count)].elementsEqual(needle)
        }
    }

    // MARK: Mutations

    static let tokens: [[UInt8]] = [
        "i0e", "i-1e", "le", "de", "0:", "1:/", "2:..", "1:p", "4:attr", "6:length", "4:path", "i9223372036854775807e",
        "4:name", "5:files", "e", "d", "l", "20:", "i16384e",
    ].map(utf8)

    static func mutate(_ bytes: inout [UInt8], using random: inout SeededRandom) {
        guard !bytes.isEmpty else {
            bytes = tokens[random.below(tokens.count)]
            return
        }
        let position = random.below(bytes.count)
        switch random.below(9) {
        case 0:  // flip one bit
            bytes[position] ^= 1 << UInt8(random.below(8))
        case 1:  // replace a byte with one that means something to bencode
            bytes[position] = Array("deil:0123456789-".utf8)[random.below(16)]
        case 2:  // truncate
            bytes.removeSubrange(position...)
        case 3:  // insert random bytes
            bytes.insert(contentsOf: (0..<(1 + random.below(8))).map { _ in random.nextByte() }, at: position)
        case 4:  // insert a bencode token
            bytes.insert(contentsOf: tokens[random.below(tokens.count)], at: position)
        case 5:  // delete a span
            bytes.removeSubrange(position..<min(bytes.count, position + 1 + random.below(24)))
        case 6:  // duplicate a span somewhere else
            let span = Array(bytes[position..<min(bytes.count, position + 1 + random.below(64))])
            bytes.insert(contentsOf: span, at: random.below(bytes.count + 1))
        case 7:  // move a span: cut it and put it elsewhere
            let end = min(bytes.count, position + 1 + random.below(32))
            let span = Array(bytes[position..<end])
            bytes.removeSubrange(position..<end)
            bytes.insert(contentsOf: span, at: random.below(bytes.count + 1))
        default:  // change a length or integer: the digits before ':' or after 'i'
            changeNumber(in: &bytes, near: position, using: &random)
        }
    }

    /// Rewrites a run of digits: swaps two digits, nudges the value by one, or puts in an extreme value.
    static func changeNumber(in bytes: inout [UInt8], near position: Int, using random: inout SeededRandom) {
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        guard let start = (position..<bytes.count).first(where: { isDigit(bytes[$0]) }) else { return }
        var end = start
        while end < bytes.count && isDigit(bytes[end]) { end += 1 }
        let digits = Array(bytes[start..<end])
        let value = min(Int64(String(decoding: digits, as: UTF8.self)) ?? 0, 1 << 40)
        let replacement: [UInt8]
        switch random.below(5) {
        case 0 where digits.count >= 2:
            var swapped = digits
            let index = random.below(digits.count - 1)
            swapped.swapAt(index, index + 1)
            replacement = swapped
        case 1: replacement = utf8(String(value + 1))
        case 2: replacement = utf8(String(max(0, value - 1)))
        case 3: replacement = utf8(["0", "00", "01", "9223372036854775807", "99999999999999999999"][random.below(5)])
        default: replacement = utf8(String(value * 2 + Int64(random.below(3))))
        }
        bytes.replaceSubrange(start..<end, with: replacement)
    }
}
