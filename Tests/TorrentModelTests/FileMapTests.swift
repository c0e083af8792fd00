import Testing
import TorrentModel

@Suite("File map")
struct FileMapTests {
    /// a: 0..<10, empty: 10..<10, c: 10..<35, d: 35..<40, trailing empty: 40..<40.
    static let files = [
        TorrentFile(path: ["a"], length: 10, offset: 0),
        TorrentFile(path: ["empty"], length: 0, offset: 10),
        TorrentFile(path: ["c"], length: 25, offset: 10),
        TorrentFile(path: ["d"], length: 5, offset: 35),
        TorrentFile(path: ["z-empty"], length: 0, offset: 40),
    ]
    let map = FileMap(files: Self.files)

    @Test func rangeInsideOneFile() {
        #expect(map.slices(for: 2..<7) == [FileSlice(fileIndex: 0, offsetInFile: 2, length: 5, offsetInRange: 0)])
        #expect(map.slices(for: 12..<30) == [FileSlice(fileIndex: 2, offsetInFile: 2, length: 18, offsetInRange: 0)])
        #expect(map.slices(for: 35..<40) == [FileSlice(fileIndex: 3, offsetInFile: 0, length: 5, offsetInRange: 0)])
    }

    @Test func rangeAcrossFilesSkipsEmptyOnes() {
        #expect(
            map.slices(for: 5..<38) == [
                FileSlice(fileIndex: 0, offsetInFile: 5, length: 5, offsetInRange: 0),
                FileSlice(fileIndex: 2, offsetInFile: 0, length: 25, offsetInRange: 5),
                FileSlice(fileIndex: 3, offsetInFile: 0, length: 3, offsetInRange: 30),
            ])
    }

    @Test func wholeStream() {
        #expect(
            map.slices(for: 0..<40) == [
                FileSlice(fileIndex: 0, offsetInFile: 0, length: 10, offsetInRange: 0),
                FileSlice(fileIndex: 2, offsetInFile: 0, length: 25, offsetInRange: 10),
                FileSlice(fileIndex: 3, offsetInFile: 0, length: 5, offsetInRange: 35),
            ])
    }

    @Test func rangeStartingAtAFileBoundary() {
        #expect(map.slices(for: 10..<11) == [FileSlice(fileIndex: 2, offsetInFile: 0, length: 1, offsetInRange: 0)])
        #expect(map.slices(for: 9..<10) == [FileSlice(fileIndex: 0, offsetInFile: 9, length: 1, offsetInRange: 0)])
    }

    @Test func emptyRangeHasNoSlices() {
        #expect(map.slices(for: 10..<10).isEmpty)
        #expect(map.slices(for: 0..<0).isEmpty)
    }

    @Test func slicesOfPieces() {
        let geometry = PieceGeometry(totalLength: 40, pieceLength: 16)
        #expect(
            map.slices(ofPiece: 0, in: geometry) == [
                FileSlice(fileIndex: 0, offsetInFile: 0, length: 10, offsetInRange: 0),
                FileSlice(fileIndex: 2, offsetInFile: 0, length: 6, offsetInRange: 10),
            ])
        #expect(
            map.slices(ofPiece: 1, in: geometry) == [
                FileSlice(fileIndex: 2, offsetInFile: 6, length: 16, offsetInRange: 0)
            ])
        #expect(
            map.slices(ofPiece: 2, in: geometry) == [
                FileSlice(fileIndex: 2, offsetInFile: 22, length: 3, offsetInRange: 0),
                FileSlice(fileIndex: 3, offsetInFile: 0, length: 5, offsetInRange: 3),
            ])
    }

    @Test func piecesOfFiles() {
        let geometry = PieceGeometry(totalLength: 40, pieceLength: 16)
        #expect(map.pieces(ofFile: 0, in: geometry) == 0..<1)
        #expect(map.pieces(ofFile: 1, in: geometry).isEmpty)
        #expect(map.pieces(ofFile: 2, in: geometry) == 0..<3)
        #expect(map.pieces(ofFile: 3, in: geometry) == 2..<3)
        #expect(map.pieces(ofFile: 4, in: geometry).isEmpty)
    }

    @Test func padFilesAreMappedLikeAnyOtherFile() {
        let files = TorrentLayout.place(
            [.init(path: ["a"], length: 10), .init(path: ["b"], length: 20)], pieceLength: 16, alignToPieces: true)
        let map = FileMap(files: files)
        #expect(files.map(\.isPadding) == [false, true, false])
        #expect(
            map.slices(for: 8..<20) == [
                FileSlice(fileIndex: 0, offsetInFile: 8, length: 2, offsetInRange: 0),
                FileSlice(fileIndex: 1, offsetInFile: 0, length: 6, offsetInRange: 2),
                FileSlice(fileIndex: 2, offsetInFile: 0, length: 4, offsetInRange: 8),
            ])
        #expect(map.pieces(ofFile: 2, in: PieceGeometry(totalLength: 36, pieceLength: 16)) == 1..<3)
    }

    /// Every range of a layout with several empty files, checked against a byte-by-byte owner table.
    @Test func everyRangeMatchesAByteByByteWalk() {
        let lengths: [Int64] = [0, 3, 0, 0, 1, 7, 0, 2, 0]
        var files: [TorrentFile] = []
        var offset: Int64 = 0
        for (index, length) in lengths.enumerated() {
            files.append(TorrentFile(path: ["f\(index)"], length: length, offset: offset))
            offset += length
        }
        var owner: [(file: Int, offsetInFile: Int64)] = []
        for (index, file) in files.enumerated() {
            for byte in 0..<file.length { owner.append((index, byte)) }
        }
        let map = FileMap(files: files)
        for start in 0...offset {
            for end in start...offset {
                let slices = map.slices(for: start..<end)
                var expanded: [(file: Int, offsetInFile: Int64)] = []
                var position: Int64 = 0
                for slice in slices {
                    #expect(slice.length > 0)
                    #expect(slice.offsetInRange == position)
                    for byte in 0..<slice.length { expanded.append((slice.fileIndex, slice.offsetInFile + byte)) }
                    position += slice.length
                }
                let expected = owner[Int(start)..<Int(end)]
                #expect(expanded.map(\.file) == expected.map(\.file), "range \(start)..<\(end)")
                #expect(expanded.map(\.offsetInFile) == expected.map(\.offsetInFile), "range \(start)..<\(end)")
            }
        }
    }
}
