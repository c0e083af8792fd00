import TestSupport
import Testing
import TorrentModel

@Suite("Torrent layout")
struct TorrentLayoutTests {
    typealias Source = TorrentLayout.Source

    static func sources(_ paths: [[String]]) -> [Source] { paths.map { Source(path: $0, length: 1) } }

    // MARK: Sorting

    @Test func sortsComponentByComponentInByteOrder() {
        let expected: [[String]] = [
            ["A"], ["B", "x"], ["Z"], ["a"], ["a", "b"], ["a", "b", "c"], ["a", "c"], ["a b"], ["a-"], ["a.txt"],
            ["b"], ["z"], ["~"], ["é"], ["日本"],
        ]
        #expect(TorrentLayout.sorted(Self.sources(expected.reversed())).map(\.path) == expected)
    }

    @Test func folderContentsComeBeforeASiblingWithALongerName() {
        // By whole path strings "a b" (0x20) would sort before "a/b" (0x2F); Shoal compares components.
        let sorted = TorrentLayout.sorted(Self.sources([["a b"], ["a", "b"], ["a-b"], ["a", "a"]]))
        #expect(sorted.map(\.path) == [["a", "a"], ["a", "b"], ["a b"], ["a-b"]])
    }

    @Test func sortingIgnoresTheInputOrder() {
        let paths: [[String]] = [
            ["10.txt"], ["2.txt"], ["sub", "x"], ["sub", "Y"], ["Sub"], ["sub2"], ["süb"], ["s"], [".hidden"], ["_"],
        ]
        let reference = TorrentLayout.sorted(Self.sources(paths)).map(\.path)
        #expect(
            reference == [
                [".hidden"], ["10.txt"], ["2.txt"], ["Sub"], ["_"], ["s"], ["sub", "Y"], ["sub", "x"], ["sub2"],
                ["süb"],
            ])
        var random = SeededRandom(seed: 2024)
        for _ in 0..<50 {
            #expect(TorrentLayout.sorted(Self.sources(paths.shuffled(using: &random))).map(\.path) == reference)
        }
    }

    @Test func sortingKeepsLengths() {
        let sorted = TorrentLayout.sorted([Source(path: ["b"], length: 2), Source(path: ["a"], length: 1)])
        #expect(sorted == [Source(path: ["a"], length: 1), Source(path: ["b"], length: 2)])
    }

    /// Names that are canonically equivalent in Unicode but differ in bytes ("é" precomposed and
    /// "e" + combining acute) are distinct files on Linux; byte order puts "e\u{301}" (65 CC 81)
    /// before "f" (66) before "é" (C3 A9), whatever order the directory listing gives.
    @Test func unicodeEquivalentNamesAreOrderedByTheirBytes() {
        let decomposed = "e\u{301}"
        let precomposed = "\u{E9}"
        let expected = [[decomposed], ["f"], [precomposed]]
        let orders: [[[String]]] = [
            [[precomposed], ["f"], [decomposed]],
            [[decomposed], ["f"], [precomposed]],
            [["f"], [precomposed], [decomposed]],
            [[precomposed], [decomposed], ["f"]],
        ]
        for order in orders {
            let sorted = TorrentLayout.sorted(Self.sources(order)).map { $0.path.map { Array($0.utf8) } }
            #expect(sorted == expected.map { $0.map { Array($0.utf8) } }, "input \(order)")
        }
    }

    // MARK: Placement

    @Test func placementWithoutAlignment() {
        let files = TorrentLayout.place(
            [Source(path: ["a"], length: 10), Source(path: ["b"], length: 0), Source(path: ["c"], length: 7)],
            pieceLength: 16, alignToPieces: false)
        #expect(
            files == [
                TorrentFile(path: ["a"], length: 10, offset: 0),
                TorrentFile(path: ["b"], length: 0, offset: 10),
                TorrentFile(path: ["c"], length: 7, offset: 10),
            ])
    }

    @Test func placementWithPadFiles() {
        let files = TorrentLayout.place(
            [
                Source(path: ["a"], length: 10),
                Source(path: ["b"], length: 32),
                Source(path: ["c"], length: 0),
                Source(path: ["d"], length: 17),
                Source(path: ["e"], length: 3),
            ], pieceLength: 16, alignToPieces: true)
        #expect(
            files == [
                TorrentFile(path: ["a"], length: 10, offset: 0),
                TorrentFile(path: [".pad", "6"], length: 6, offset: 10, isPadding: true),
                TorrentFile(path: ["b"], length: 32, offset: 16),
                TorrentFile(path: ["c"], length: 0, offset: 48),
                TorrentFile(path: ["d"], length: 17, offset: 48),
                TorrentFile(path: [".pad", "15"], length: 15, offset: 65, isPadding: true),
                TorrentFile(path: ["e"], length: 3, offset: 80),
            ])
    }

    @Test func theTorrentNeverEndsInPadding() {
        let files = TorrentLayout.place(
            [Source(path: ["a"], length: 10), Source(path: ["b"], length: 5), Source(path: ["z"], length: 0)],
            pieceLength: 16, alignToPieces: true)
        #expect(files.map(\.path) == [["a"], [".pad", "6"], ["b"], ["z"]])
        #expect(files.map(\.offset) == [0, 10, 16, 21])
    }

    @Test func noPadAfterTheLastFileOrAfterASingleFile() {
        let single = TorrentLayout.place([Source(path: ["x"], length: 5)], pieceLength: 16, alignToPieces: true)
        #expect(single == [TorrentFile(path: ["x"], length: 5, offset: 0)])
        let two = TorrentLayout.place(
            [Source(path: ["x"], length: 16), Source(path: ["y"], length: 5)], pieceLength: 16, alignToPieces: true)
        #expect(two.map(\.isPadding) == [false, false])
        #expect(two.last?.offset == 16)
    }

    @Test func emptyInputPlacesNothing() {
        #expect(TorrentLayout.place([], pieceLength: 16_384, alignToPieces: true).isEmpty)
    }

    /// With alignment, every data file with bytes starts a piece, pads fill only the gaps, and the
    /// stream stays contiguous.
    @Test func alignmentInvariantsOverRandomLayouts() {
        var random = SeededRandom(seed: 99)
        for _ in 0..<200 {
            let pieceLength = [16, 100, 16_384][random.below(3)]
            let sources = (0..<(1 + random.below(8))).map { index in
                Source(path: ["f\(index)"], length: Int64(random.below(3) == 0 ? 0 : random.below(3 * pieceLength)))
            }
            let files = TorrentLayout.place(sources, pieceLength: pieceLength, alignToPieces: true)
            #expect(files.filter { !$0.isPadding }.map { Source(path: $0.path, length: $0.length) } == sources)
            var offset: Int64 = 0
            for (index, file) in files.enumerated() {
                #expect(file.offset == offset)
                offset += file.length
                if file.isPadding {
                    #expect(file.length > 0 && file.length < pieceLength)
                    #expect(file.path == [".pad", String(file.length)])
                    #expect(offset % Int64(pieceLength) == 0)
                    #expect(index > 0 && index < files.count - 1 && !files[index - 1].isPadding)
                } else if file.length > 0 {
                    #expect(file.offset % Int64(pieceLength) == 0)
                }
            }
        }
    }
}
