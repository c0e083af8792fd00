/// What a tracker knows of one torrent's swarm (BEP 48).
public struct ScrapeStats: Hashable, Sendable {
    /// Seeders.
    public var complete: Int
    /// Times the torrent was downloaded to the end.
    public var downloaded: Int
    /// Leechers.
    public var incomplete: Int

    public init(complete: Int, downloaded: Int, incomplete: Int) {
        self.complete = complete
        self.downloaded = downloaded
        self.incomplete = incomplete
    }
}
