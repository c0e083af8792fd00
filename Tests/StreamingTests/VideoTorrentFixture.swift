import HLS
import Streaming
import TorrentModel

/// A video torrent laid out as docs/video-torrent.md says: the playlists and init segment first, then a pad
/// file before every segment, so each segment starts a piece.
struct VideoTorrentFixture {
    static let pieceLength = 16_384

    var files: [TorrentFile]
    var playlist: MediaPlaylist

    /// `segmentLengths[i]` bytes and `durations[i]` seconds for segment i.
    init(
        headLengths: [Int64] = [200, 500, 1_000], segmentLengths: [Int64], durations: [Double],
        pieceLength: Int = pieceLength, pad: Bool = true
    ) {
        precondition(segmentLengths.count == durations.count)
        var files: [TorrentFile] = []
        var offset: Int64 = 0
        func append(_ name: String, _ length: Int64) {
            files.append(TorrentFile(path: [name], length: length, offset: offset))
            offset += length
        }
        for (name, length) in zip(["master.m3u8", "media.m3u8", "init.mp4"], headLengths) { append(name, length) }
        var segments: [MediaSegment] = []
        for (index, length) in segmentLengths.enumerated() {
            let remainder = offset % Int64(pieceLength)
            if pad && remainder != 0 {
                let padding = Int64(pieceLength) - remainder
                files.append(
                    TorrentFile(path: [".pad", String(padding)], length: padding, offset: offset, isPadding: true))
                offset += padding
            }
            let name = Self.segmentName(index)
            append(name, length)
            segments.append(MediaSegment(duration: durations[index], uri: name))
        }
        self.files = files
        self.playlist = MediaPlaylist.video(segments: segments, mapURI: "init.mp4")
    }

    /// Twenty 4-second segments of two pieces each: the head is piece 0, segment i is pieces 2i+1 and 2i+2,
    /// 41 pieces in all, 80 seconds.
    static let standard = VideoTorrentFixture(
        segmentLengths: Array(repeating: 30_000, count: 20), durations: Array(repeating: 4, count: 20))

    static func segmentName(_ index: Int) -> String {
        let digits = String(index)
        return "segment-" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits + ".m4s"
    }

    func index(playlist: MediaPlaylist? = nil) throws -> VideoTorrentIndex {
        try VideoTorrentIndex(files: files, pieceLength: Self.pieceLength, playlist: playlist ?? self.playlist)
    }

    /// The same torrent as a .torrent file, parsed back (fake piece hashes: nothing checks data).
    func metainfo() throws -> Metainfo {
        let total = files.last.map { $0.offset + $0.length } ?? 0
        let pieceCount = Int((total + Int64(Self.pieceLength) - 1) / Int64(Self.pieceLength))
        let info = MetainfoWriter.info(
            name: "clip", files: files, isMultiFile: true, pieceLength: Self.pieceLength,
            pieceHashes: [UInt8](repeating: 7, count: pieceCount * 20), isPrivate: false)
        return try Metainfo(bytes: MetainfoWriter.torrent(info: info, options: TorrentOptions()))
    }
}

/// Instants on a simulated clock: seconds after one real instant taken when the test starts.
struct SimulatedClock {
    let origin = ContinuousClock.now

    func at(_ seconds: Double) -> ContinuousClock.Instant { origin + .milliseconds(Int64((seconds * 1000).rounded())) }
}
