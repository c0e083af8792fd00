/// One data file of a torrent in ``TorrentDetail`` (BEP 47 pad files are left out).
public struct TorrentFileInfo: Codable, Equatable, Sendable {
    /// The path below the torrent's folder, components joined with `/`.
    public var path: String
    public var length: Int64
    /// 0 (skip) to 7 (high); see ``FilePriority``.
    public var priority: Int
    /// Bytes of this file inside verified pieces.
    public var verifiedBytes: Int64

    public init(path: String, length: Int64, priority: Int = FilePriority.normal, verifiedBytes: Int64 = 0) {
        self.path = path
        self.length = length
        self.priority = priority
        self.verifiedBytes = verifiedBytes
    }
}
