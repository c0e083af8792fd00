import TorrentModel

/// A scrape (BEP 48): swarm statistics for the named torrents.
public struct ScrapeRequest: Hashable, Sendable {
    /// Empty asks for every torrent the tracker has, which most trackers refuse.
    public var infoHashes: [InfoHash]

    public init(infoHashes: [InfoHash]) {
        self.infoHashes = infoHashes
    }

    /// `info_hash=…&info_hash=…`, each percent-encoded as raw bytes.
    public var httpQuery: String {
        infoHashes.map { "info_hash=" + QueryString.percentEncode($0.bytes) }.joined(separator: "&")
    }

    public func httpURL(scrapeURL: String) -> String {
        QueryString.appending(httpQuery, to: scrapeURL)
    }

    /// Parses a scrape query strictly: every `info_hash` must be 20 bytes, at most
    /// `TrackerLimits.maximumHTTPScrapeInfoHashes` of them; other fields are ignored.
    public init(httpQuery query: some StringProtocol) throws(TrackerProtocolError) {
        var infoHashes: [InfoHash] = []
        for field in try QueryString.parse(query) where field.name == "info_hash" {
            guard let infoHash = InfoHash(bytes: field.value) else { throw .badInfoHashLength(field.value.count) }
            infoHashes.append(infoHash)
        }
        guard infoHashes.count <= TrackerLimits.maximumHTTPScrapeInfoHashes else {
            throw .tooManyInfoHashes(count: infoHashes.count, limit: TrackerLimits.maximumHTTPScrapeInfoHashes)
        }
        self.infoHashes = infoHashes
    }

    /// BEP 48: the scrape URL is the announce URL with the `announce` that starts its last path
    /// component replaced by `scrape`; a tracker whose URL does not fit has no scrape (nil).
    public static func scrapeURL(forAnnounceURL url: String) -> String? {
        let queryStart = url.firstIndex(where: { $0 == "?" || $0 == "#" }) ?? url.endIndex
        let path = url[..<queryStart]
        guard let slash = path.lastIndex(of: "/") else { return nil }
        let last = path[path.index(after: slash)...]
        guard last.hasPrefix("announce") else { return nil }
        return url[...slash] + "scrape" + last.dropFirst("announce".count) + url[queryStart...]
    }
}
