/// Picks a piece length for a new torrent.
public enum PieceLengthPolicy {
    /// The most pieces the automatic choice aims for; it doubles the length until the count fits,
    /// so large torrents get between half this and this many pieces (1,000–4,000 with the default).
    public static let targetMaximumPieceCount = 4000

    /// The smallest power of two from 16 KiB to 16 MiB that gives at most `targetMaximumPieceCount`
    /// pieces (16 MiB for anything larger than 64 GB).
    public static func automatic(totalLength: Int64) -> Int {
        var length = TorrentLimits.minimumAutomaticPieceLength
        while length < TorrentLimits.maximumAutomaticPieceLength
            && pieceCount(totalLength: totalLength, pieceLength: length) > Int64(targetMaximumPieceCount)
        {
            length *= 2
        }
        return length
    }

    /// Rounds up without overflowing near Int64.max.
    private static func pieceCount(totalLength: Int64, pieceLength: Int) -> Int64 {
        totalLength / Int64(pieceLength) + (totalLength % Int64(pieceLength) == 0 ? 0 : 1)
    }

    /// True for a length a user may give: a power of two from 16 KiB up to the largest accepted.
    public static func isAcceptable(_ length: Int) -> Bool {
        length >= TorrentLimits.blockSize && length <= TorrentLimits.maximumPieceLength
            && length & (length - 1) == 0
    }
}
