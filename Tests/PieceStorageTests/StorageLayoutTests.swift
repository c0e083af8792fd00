import PieceStorage
import Testing
import TorrentModel

/// The torrent most storage tests use: 32 KiB pieces, pad files, pieces spanning several files,
/// an empty file and a short last piece.
///
///     piece 0      master.m3u8 (1,000) + pad
///     pieces 1–2   init.mp4 (40,000) + pad
///     pieces 3–5   seg/000.m4s (70,000); piece 5 also holds seg/001.m4s, seg/002.m4s (empty), seg/003.m4s
///     piece 6      the rest of seg/003.m4s (21,701 bytes)
func videoFixture(seed: UInt64 = 1) throws -> TorrentFixture {
    try TorrentFixture(
        pieceLength: 32_768,
        files: [
            .file("master.m3u8", 1_000), .pad(31_768), .file("init.mp4", 40_000), .pad(25_536),
            .file("seg/000.m4s", 70_000), .file("seg/001.m4s", 5), .file("seg/002.m4s", 0),
            .file("seg/003.m4s", 50_000),
        ], seed: seed)
}

@Suite struct StorageLayoutTests {
    @Test func multiFileTorrentsLiveInAFolderNamedAfterTheTorrent() throws {
        let fixture = try videoFixture()
        let layout = StorageLayout(metainfo: fixture.metainfo)
        #expect(layout.pieceCount == 7)
        #expect(layout.geometry.lastPieceLength == 21_701)
        #expect(layout.relativePath(ofFile: 0) == "show/master.m3u8")
        #expect(layout.relativePath(ofFile: 4) == "show/seg/000.m4s")
        #expect(layout.dataFileIndices == [0, 2, 4, 5, 6, 7])
    }

    @Test func singleFileTorrentsAreTheNamedFile() throws {
        let fixture = try TorrentFixture(singleFileNamed: "movie.mp4", pieceLength: 16_384, length: 50_000)
        let layout = StorageLayout(metainfo: fixture.metainfo)
        #expect(layout.relativePaths == [["movie.mp4"]])
        #expect(layout.pieceCount == 4)
    }

    @Test func dataSlicesOfAPieceLeavePadFilesOut() throws {
        let layout = StorageLayout(metainfo: try videoFixture().metainfo)
        #expect(
            layout.dataSlices(ofPiece: 0) == [FileSlice(fileIndex: 0, offsetInFile: 0, length: 1_000, offsetInRange: 0)]
        )
        // seg/000.m4s ends at 168,304; piece 5 starts at 163,840.
        #expect(
            layout.dataSlices(ofPiece: 5) == [
                FileSlice(fileIndex: 4, offsetInFile: 65_536, length: 4_464, offsetInRange: 0),
                FileSlice(fileIndex: 5, offsetInFile: 0, length: 5, offsetInRange: 4_464),
                FileSlice(fileIndex: 7, offsetInFile: 0, length: 28_299, offsetInRange: 4_469),
            ])
    }
}
