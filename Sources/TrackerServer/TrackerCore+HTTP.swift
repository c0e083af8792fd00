import TorrentModel
import TrackerProtocol

extension TrackerCore {
    /// Answers one HTTP GET. `target` is the request target (path and query) as received.
    public func answerHTTP(target: Substring, source: TrackerPeerAddress) -> TrackerHTTPAnswer {
        switch TrackerHTTPRoute(target: target) {
        case .announce(let passkey, let query):
            return answerAnnounce(query: query, passkey: passkey, source: source)
        case .scrape(let passkey, let query):
            return answerScrape(query: query, passkey: passkey, source: source)
        case .statsPage:
            return TrackerHTTPAnswer(
                contentType: "text/html; charset=utf-8", body: Array(TrackerStatsPage.html(statistics()).utf8))
        case .statsJSON:
            return TrackerHTTPAnswer(contentType: "application/json", body: statistics().json)
        case .metrics:
            return TrackerHTTPAnswer(
                contentType: "text/plain; version=0.0.4; charset=utf-8",
                body: Array(TrackerMetrics.text(statistics()).utf8))
        case .notFound:
            return .notFound
        }
    }

    private func answerAnnounce(query: Substring, passkey: Substring?, source: TrackerPeerAddress) -> TrackerHTTPAnswer
    {
        guard admit(source) else { return refuse(Self.rateLimitReason(configuration)) }
        let request: AnnounceRequest
        do { request = try AnnounceRequest(httpQuery: query) } catch { return refuse(error.description) }
        switch announce(request, passkey: passkey, source: source) {
        case .failure(let refusal):
            return refuse(refusal.reason)
        case .success(let answer):
            let header = AnnounceResponseWriter.Header(
                interval: configuration.interval, minInterval: configuration.minimumInterval, stats: answer.stats,
                trackerID: request.trackerID == nil ? trackerID : nil,
                warning: answer.announcedTooSoon ? Self.tooSoonWarning(configuration) : nil)
            if request.compact {
                return .bencoded(AnnounceResponseWriter.compact(header, peers: answer.peers))
            }
            let includePeerIDs = !Self.asksNoPeerID(query)
            return .bencoded(
                AnnounceResponseWriter.dictionary(header, peers: answer.peers, includePeerIDs: includePeerIDs))
        }
    }

    private func answerScrape(query: Substring, passkey: Substring?, source: TrackerPeerAddress) -> TrackerHTTPAnswer {
        guard admit(source) else { return refuse(Self.rateLimitReason(configuration)) }
        let request: ScrapeRequest
        do { request = try ScrapeRequest(httpQuery: query) } catch { return refuse(error.description) }
        guard !request.infoHashes.isEmpty else {
            return refuse("name the torrents to scrape with info_hash (a full scrape is not offered)")
        }
        switch scrape(request.infoHashes, passkey: passkey) {
        case .failure(let refusal):
            return refuse(refusal.reason)
        case .success(let stats):
            var files: [InfoHash: ScrapeStats] = [:]
            for (infoHash, stat) in zip(request.infoHashes, stats) { files[infoHash] = stat }
            let response = ScrapeResponse(files: files, minRequestInterval: configuration.minimumInterval)
            return .bencoded(response.bencoded())
        }
    }

    /// A bencoded `failure reason`, counted.
    private func refuse(_ reason: String) -> TrackerHTTPAnswer {
        counters.failures.add(1, ordering: .relaxed)
        return .failure(reason)
    }

    /// BEP 23's `no_peer_id=1`, which AnnounceRequest does not model.
    static func asksNoPeerID(_ query: Substring) -> Bool {
        query.split(separator: "&").contains("no_peer_id=1")
    }

    static func rateLimitReason(_ configuration: TrackerConfiguration) -> String {
        "rate limit: more than \(Int(configuration.rateLimit.ratePerSecond)) requests per second from your address"
    }

    static func tooSoonWarning(_ configuration: TrackerConfiguration) -> String {
        "announced sooner than the minimum interval of \(configuration.minimumInterval) s"
    }
}
