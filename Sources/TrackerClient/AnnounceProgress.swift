/// The byte totals an announce reports, read from the engine just before each announce.
public struct AnnounceProgress: Hashable, Sendable {
    public var uploaded: Int64
    public var downloaded: Int64
    /// Bytes still missing; 0 for a seed.
    public var left: Int64

    public init(uploaded: Int64, downloaded: Int64, left: Int64) {
        self.uploaded = uploaded
        self.downloaded = downloaded
        self.left = left
    }

    /// What a magnet link announces before its metadata (and so its size) is known: libtorrent announces
    /// 16 KiB as `left` too, so trackers count it as a leecher.
    public static let fetchingMetadata = AnnounceProgress(uploaded: 0, downloaded: 0, left: 16 * 1024)
}
