import TorrentModel

/// The files of a video torrent in playback order and where they sit (docs/video-torrent.md).
///
/// Playlists and the init segment come first, together; a BEP 47 pad file follows them and every
/// segment but the last, so each segment starts a piece of its own: a watcher verifies a segment from
/// its own pieces, and the seeder hashes each segment as it writes it.
public enum VideoTorrentLayout {
    public static let masterPlaylist = "master.m3u8"
    public static let mediaPlaylist = "media.m3u8"
    public static let initSegment = "init.mp4"

    /// "segment-00042.m4s": zero-padded to `width` digits so that name order is playback order.
    public static func segmentName(_ index: Int, width: Int = 5) -> String {
        let digits = String(index)
        return "segment-" + String(repeating: "0", count: max(0, width - digits.count)) + digits + ".m4s"
    }

    /// Places the head files (playlists, init segment) and the segments, with pad files.
    public static func files(
        head: [(name: String, length: Int64)], segments: [(name: String, length: Int64)], pieceLength: Int
    )
        -> [TorrentFile]
    {
        let source = { (file: (name: String, length: Int64)) in
            TorrentLayout.Source(path: [file.name], length: file.length)
        }
        return TorrentLayout.place(groups: [head.map(source)] + segments.map { [source($0)] }, pieceLength: pieceLength)
    }

    /// Bounds of the piece length: one 16 KiB block (the transfer unit) at least; past 4 MiB a piece would
    /// often hold a whole segment, so a watcher could not verify part of one early.
    public static let minimumPieceLength = TorrentLimits.blockSize
    public static let maximumPieceLength = 4 * 1024 * 1024
    /// A segment spans about this many pieces (16 to 32). A watcher passes a piece on only once it has all of it
    /// and has checked it, so small pieces move through a swarm of watchers sooner: in the streaming benchmark,
    /// watchers with 16-KiB pieces (a sixteenth of a 2-s segment) stalled a fifth as long as with 64-KiB ones (a
    /// quarter). Coarse enough still that a 2-hour film has a torrent of modest size (docs/video-torrent.md).
    public static let piecesPerSegment = 16

    /// The piece length for an expected bit rate: the largest power of two at most a sixteenth of a
    /// segment, within the bounds, doubled while the torrent would have too many pieces.
    public static func pieceLength(bitRate: Int, segmentDuration: Double, duration: Double) -> Int {
        let segmentBytes = Double(max(bitRate, 1)) * segmentDuration / 8
        var length = minimumPieceLength
        while length * 2 <= maximumPieceLength && Double(length * 2) <= segmentBytes / Double(piecesPerSegment) {
            length *= 2
        }
        let totalBytes = Double(max(bitRate, 1)) * duration / 8
        while length < TorrentLimits.maximumAutomaticPieceLength
            && totalBytes / Double(length) > Double(TorrentLimits.maximumPieceCount) / 2
        {
            length *= 2
        }
        return length
    }
}
