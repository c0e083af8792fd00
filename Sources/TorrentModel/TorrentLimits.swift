/// Named limits for what a torrent may describe. Values beyond them are refused as hostile or broken.
public enum TorrentLimits {
    /// Transfers happen in 16 KiB blocks (BEP 3); pieces are made of whole blocks except the last.
    public static let blockSize = 16 * 1024
    /// The smallest piece length `shoal create` picks on its own.
    public static let minimumAutomaticPieceLength = 16 * 1024
    /// The largest piece length `shoal create` picks on its own.
    public static let maximumAutomaticPieceLength = 16 * 1024 * 1024
    /// The largest piece length accepted from any torrent (libtorrent refuses larger ones too).
    public static let maximumPieceLength = 128 * 1024 * 1024
    /// The most files a torrent may list.
    public static let maximumFileCount = 1_000_000
    /// The most pieces a torrent may have (a 20-byte hash each: 200 MB of hashes at this limit).
    public static let maximumPieceCount = 10_000_000
    /// The most components a file path may have.
    public static let maximumPathDepth = 128
    /// The longest path component in bytes (the common file-system limit).
    public static let maximumPathComponentLength = 255
}
