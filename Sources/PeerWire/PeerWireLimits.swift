import TorrentModel

/// Named limits of the peer wire protocol (BEP 3, 6, 9, 10). Anything a peer sends beyond them is
/// refused as hostile or broken, and the connection is closed with the reason.
public enum PeerWireLimits {
    /// The longest block a `request`, `cancel`, `reject request` or `piece` may carry. Every current
    /// client uses 16 KiB blocks; larger requests are a known way to make a peer buffer a lot of data.
    public static let maximumBlockLength = TorrentLimits.blockSize

    /// Bytes before the block in a `piece` message: index and begin.
    public static let pieceHeaderLength = 8

    /// BEP 9 cuts the info dictionary into pieces of this size; only the last may be shorter.
    public static let metadataPieceLength = 16 * 1024

    /// The largest info dictionary fetched from peers for a magnet link. 16 MiB holds the hashes of
    /// about 800,000 pieces (800 GB at 1 MiB pieces), far beyond any video, while bounding what a
    /// hostile `metadata_size` can make Shoal allocate. libtorrent's own default is in the same range.
    public static let maximumMetadataSize = 16 * 1024 * 1024

    /// The most metadata pieces a torrent can have within `maximumMetadataSize`.
    public static let maximumMetadataPieceCount = maximumMetadataSize / metadataPieceLength

    /// Room for the bencoded part of an extended message: the whole of an extension handshake, or
    /// the dictionary in front of a metadata piece. Real handshakes are a few hundred bytes.
    public static let maximumExtensionHeaderLength = 8 * 1024

    /// The longest payload of an extended message (BEP 10), after its message ID byte: the extension
    /// ID, a header and a metadata piece.
    public static let maximumExtendedPayloadLength = 1 + maximumExtensionHeaderLength + metadataPieceLength

    /// The bitfield of the largest torrent Shoal accepts, one bit per piece.
    public static let maximumBitfieldLength = (TorrentLimits.maximumPieceCount + 7) / 8

    /// The default limit on a message's length prefix (message ID plus payload). It must admit a
    /// bitfield before a magnet's metadata says how many pieces there are, so the largest bitfield
    /// decides it; a connection can lower it with `maximumMessageLength(pieceCount:)` once the
    /// torrent is known.
    public static let defaultMaximumMessageLength = maximumMessageLength(pieceCount: TorrentLimits.maximumPieceCount)

    /// The smallest message-length limit that still admits every valid message of a torrent with
    /// `pieceCount` pieces: a full block, a metadata piece and the torrent's bitfield.
    public static func maximumMessageLength(pieceCount: Int) -> Int {
        let pieceMessage = 1 + pieceHeaderLength + maximumBlockLength
        let extendedMessage = 1 + maximumExtendedPayloadLength
        let bitfieldMessage = 1 + (max(0, pieceCount) + 7) / 8
        return max(pieceMessage, extendedMessage, bitfieldMessage)
    }
}
