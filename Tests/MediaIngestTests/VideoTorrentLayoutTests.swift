import TestSupport
import Testing
import TorrentModel

@testable import MediaIngest

struct VideoTorrentLayoutTests {
    @Test func headFilesTogetherThenEverySegmentOnAPieceBoundary() {
        let files = VideoTorrentLayout.files(
            head: [("master.m3u8", 200), ("media.m3u8", 300), ("init.mp4", 1000)],
            segments: [("segment-00000.m4s", 40_000), ("segment-00001.m4s", 32_768), ("segment-00002.m4s", 5)],
            pieceLength: 32_768)
        #expect(
            files.map(\.pathString) == [
                "master.m3u8", "media.m3u8", "init.mp4", ".pad/31268", "segment-00000.m4s", ".pad/25536",
                "segment-00001.m4s", "segment-00002.m4s",
            ])
        #expect(files.map(\.offset) == [0, 200, 500, 1500, 32_768, 72_768, 98_304, 131_072])
        #expect(files.filter(\.isPadding).count == 2)
        #expect(files.last?.isPadding == false)
    }

    @Test func segmentNamesSortInPlaybackOrder() {
        #expect(VideoTorrentLayout.segmentName(0) == "segment-00000.m4s")
        #expect(VideoTorrentLayout.segmentName(123_456, width: 6) == "segment-123456.m4s")
        let names = [9, 10, 99, 100].map { VideoTorrentLayout.segmentName($0) }
        #expect(names == names.sorted())
    }

    @Test func pieceLengthFollowsTheSegmentSize() {
        // 0.9 Mbit/s × 4 s = 450 kB a segment: a sixteenth is 28 kB, so 16 KiB pieces.
        #expect(VideoTorrentLayout.pieceLength(bitRate: 900_000, segmentDuration: 4, duration: 20) == 16 * 1024)
        // 8 Mbit/s: 4 MB segments, a sixteenth is 250 kB, so 128 KiB pieces; 9 Mbit/s: 281 kB, 256 KiB.
        #expect(VideoTorrentLayout.pieceLength(bitRate: 8_000_000, segmentDuration: 4, duration: 7200) == 128 << 10)
        #expect(VideoTorrentLayout.pieceLength(bitRate: 9_000_000, segmentDuration: 4, duration: 7200) == 256 << 10)
        // Tiny and huge rates stay within the bounds.
        #expect(VideoTorrentLayout.pieceLength(bitRate: 1000, segmentDuration: 4, duration: 10) == 16 * 1024)
        #expect(VideoTorrentLayout.pieceLength(bitRate: 400_000_000, segmentDuration: 10, duration: 60) == 4 << 20)
    }
}

struct PieceHashStreamTests {
    @Test func hashesMatchAReferenceOverPadsAndPieceBoundaries() {
        var random = SeededRandom(seed: 5)
        let first = random.bytes(count: 50_000)
        let second = random.bytes(count: 70_000)
        var stream = PieceHashStream(pieceLength: 32_768)
        stream.append(first)
        let padding = stream.padToPieceBoundary()
        #expect(padding == 65_536 - 50_000)
        #expect(stream.padToPieceBoundary() == 0)
        stream.append(second)
        let hashes = stream.finish()

        let whole = first + [UInt8](repeating: 0, count: padding) + second
        var expected: [UInt8] = []
        for start in stride(from: 0, to: whole.count, by: 32_768) {
            expected += ReferenceSHA1.hash(Array(whole[start..<min(start + 32_768, whole.count)]))
        }
        #expect(hashes == expected)
        #expect(hashes.count == 20 * 5)
    }
}

struct MP4BoxesTests {
    private func box(_ type: String, _ payload: Int) -> [UInt8] {
        let size = payload + 8
        return [UInt8(size >> 24), UInt8(size >> 16 & 255), UInt8(size >> 8 & 255), UInt8(size & 255)]
            + Array(type.utf8) + [UInt8](repeating: 7, count: payload)
    }

    @Test func findsWhereTheFirstFragmentStarts() {
        let initSegment = box("ftyp", 20) + box("moov", 500)
        #expect(MP4Boxes.firstSegmentBox(in: initSegment + box("moof", 100) + box("mdat", 1000)) == initSegment.count)
        #expect(MP4Boxes.firstSegmentBox(in: initSegment + box("styp", 16) + box("moof", 8)) == initSegment.count)
        #expect(MP4Boxes.firstSegmentBox(in: initSegment) == nil)
        // A 64-bit size is followed, a zero or too small size ends the walk.
        var large =
            [UInt8(0), 0, 0, 1] + Array("free".utf8) + [0, 0, 0, 0, 0, 0, 0, 24] + [UInt8](repeating: 0, count: 8)
        large += box("moof", 4)
        #expect(MP4Boxes.firstSegmentBox(in: large) == 24)
        #expect(MP4Boxes.firstSegmentBox(in: [0, 0, 0, 3] + Array("junk".utf8)) == nil)
    }
}
