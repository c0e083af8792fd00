import TorrentModel
import TrackerProtocol

/// One tracker, reached over HTTP or UDP. `Announcer` drives any number of them through BEP 12 tiers.
public protocol Tracker: Sendable {
    /// The URL as the torrent gives it; it names the tracker in statuses and logs.
    var url: String { get }

    /// Announces and returns the tracker's answer; a `failure reason` throws `.trackerFailure`.
    func announce(_ request: AnnounceRequest) async throws(TrackerClientError) -> AnnounceResponse

    /// Swarm statistics for the given torrents (BEP 48 over HTTP, BEP 15 scrape over UDP).
    func scrape(_ infoHashes: [InfoHash]) async throws(TrackerClientError) -> ScrapeResponse
}
