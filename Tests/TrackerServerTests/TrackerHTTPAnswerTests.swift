import Bencode
import Testing
import TorrentModel
import TrackerProtocol

@testable import TrackerServer

@Suite("the tracker over HTTP, without sockets")
struct TrackerHTTPAnswerTests {
    typealias F = TrackerFixtures

    @Test func announcesAnswerCompactAndDictionaryPeers() throws {
        let core = F.core()
        _ = core.answerHTTP(target: "/announce?\(F.query(peer: 1, port: 7001))", source: F.client(1))
        let compact = core.answerHTTP(target: "/announce?\(F.query(peer: 2, port: 7002))", source: F.client(2))
        #expect(compact.status == 200 && compact.contentType == "text/plain")
        guard case .success(let response) = try F.decode(compact) else {
            Issue.record("failure: \(String(decoding: compact.body, as: UTF8.self))")
            return
        }
        #expect(response.peers == [PeerEndpoint(host: "127.0.0.1", port: 7001)!])
        #expect(response.interval == 1800 && response.minInterval == 900)
        #expect(response.incomplete == 2 && response.complete == 0)
        #expect(response.trackerID != nil)

        let dictionary = core.answerHTTP(
            target: "/announce?\(F.query(peer: 3, port: 7003, compact: false))", source: F.client(3))
        let peers = try #require(
            try BencodeDecoder.decode(dictionary.body).value.dictionaryValue?[Array("peers".utf8)]?.listValue)
        #expect(peers.count == 2)
        #expect(peers.allSatisfy { $0.dictionaryValue?[Array("peer id".utf8)]?.bytesValue?.count == 20 })
        let noPeerID = core.answerHTTP(
            target: "/announce?\(F.query(peer: 3, port: 7003, compact: false, extra: "&no_peer_id=1"))",
            source: F.client(3))
        let bare = try #require(
            try BencodeDecoder.decode(noPeerID.body).value.dictionaryValue?[Array("peers".utf8)]?.listValue)
        #expect(bare.allSatisfy { $0.dictionaryValue?[Array("peer id".utf8)] == nil })
    }

    @Test func theAskerIsRegisteredAtItsSourceAddressNotItsIPField() throws {
        let core = F.core()
        _ = core.answerHTTP(
            target: "/announce?\(F.query(peer: 1, port: 7001, extra: "&ip=203.0.113.9"))", source: F.client(9))
        let answer = core.answerHTTP(target: "/announce?\(F.query(peer: 2))", source: F.client(2))
        guard case .success(let response) = try F.decode(answer) else { throw CancellationError() }
        #expect(response.peers == [PeerEndpoint(host: "127.0.0.9", port: 7001)!])
    }

    static let malformed: [(query: String, reason: String)] = [
        ("info_hash=abc&peer_id=-TT0001-000000000001&port=1&uploaded=0&downloaded=0&left=0", "info_hash is 3 bytes"),
        (F.query(port: 0), "port '0'"),
        (F.query().replacingOccurrences(of: "port=6881", with: "port=70000"), "port '70000'"),
        (F.query().replacingOccurrences(of: "port=6881", with: "port=-1"), "port '-1'"),
        (F.query(numWant: "99999999999"), "'numwant'"),
        (F.query(numWant: "lots"), "'numwant'"),
        (F.query().replacingOccurrences(of: "&left=100", with: ""), "missing 'left'"),
        ("port=1", "missing 'info_hash'"),
        (F.query(event: "exploded"), "unknown event"),
        (F.query() + "&port=2", "more than once"),
        (F.query() + "&key=%zz", "percent-encoding"),
        (F.query() + "&pad=" + String(repeating: "x", count: 9000), "longer than"),
    ]

    @Test(arguments: malformed)
    func malformedAnnouncesGetAFailureReasonWithStatus200(query: String, reason: String) throws {
        let core = F.core()
        let answer = core.answerHTTP(target: Substring("/announce?" + query), source: F.client(1))
        let failure = try #require(F.failureReason(answer), "\(String(decoding: answer.body, as: UTF8.self))")
        #expect(failure.contains(reason), "\(failure)")
        #expect(core.statistics().failures == 1)
        #expect(core.statistics().peers == 0)
    }

    @Test func aHugeButWellFormedNumWantIsCapped() throws {
        let core = F.core { $0.maximumNumWant = 20 }
        for peer in 1...40 {
            _ = core.answerHTTP(
                target: Substring("/announce?" + F.query(peer: peer, port: UInt16(7000 + peer))), source: F.client(1))
        }
        let answer = core.answerHTTP(
            target: Substring("/announce?" + F.query(peer: 99, numWant: "1000000")), source: F.client(2))
        guard case .success(let response) = try F.decode(answer) else { throw CancellationError() }
        #expect(response.peers.count == 20)
    }

    @Test func anAddressOverTheRateGetsARefusalNotAnAnswer() throws {
        let clock = ManualClock()
        let core = F.core({ $0.rateLimit = AddressRateLimiter.Settings(ratePerSecond: 2, burst: 3) }, clock: clock)
        let target = Substring("/announce?" + F.query())
        for _ in 0..<3 { #expect(F.failureReason(core.answerHTTP(target: target, source: F.client(1))) == nil) }
        #expect(F.failureReason(core.answerHTTP(target: target, source: F.client(1)))?.contains("rate limit") == true)
        // Other addresses are not affected, and the first recovers with time.
        #expect(F.failureReason(core.answerHTTP(target: target, source: F.client(2))) == nil)
        clock.advance(by: 1)
        #expect(F.failureReason(core.answerHTTP(target: target, source: F.client(1))) == nil)
        #expect(core.statistics().rateLimited == 1)
    }

    @Test func privateModeWantsAPasskeyInThePath() throws {
        let core = F.core { $0.access = TrackerAccessPolicy(passkeys: ["alice-key-0123456789"]) }
        let query = F.query()
        #expect(
            F.failureReason(core.answerHTTP(target: Substring("/announce?" + query), source: F.client(1)))?.contains(
                "private") == true)
        #expect(
            F.failureReason(
                core.answerHTTP(target: Substring("/announce/mallory-key-0123456?" + query), source: F.client(1)))
                == "unknown or revoked passkey")
        #expect(
            F.failureReason(
                core.answerHTTP(target: Substring("/announce/alice-key-0123456789?" + query), source: F.client(1)))
                == nil)
        core.setPasskeys([])
        #expect(
            F.failureReason(
                core.answerHTTP(target: Substring("/announce/alice-key-0123456789?" + query), source: F.client(1)))
                == "unknown or revoked passkey")
        #expect(F.failureReason(core.answerHTTP(target: Substring("/scrape?info_hash=x"), source: F.client(1))) != nil)
    }

    @Test func anAllowListRefusesOtherTorrentsAndCanChange() throws {
        let core = F.core { $0.access = TrackerAccessPolicy(allowedInfoHashes: [F.infoHash]) }
        #expect(
            F.failureReason(core.answerHTTP(target: Substring("/announce?" + F.query()), source: F.client(1))) == nil)
        let other = Substring("/announce?" + F.query(infoHash: F.otherInfoHash))
        #expect(F.failureReason(core.answerHTTP(target: other, source: F.client(1)))?.contains("unregistered") == true)
        core.setAllowedInfoHashes([F.infoHash, F.otherInfoHash])
        #expect(F.failureReason(core.answerHTTP(target: other, source: F.client(1))) == nil)
    }

    @Test func scrapesReportEachTorrentAndRefuseAFullScrape() throws {
        let core = F.core()
        _ = core.answerHTTP(
            target: Substring("/announce?" + F.query(peer: 1, left: 0, event: "completed")), source: F.client(1))
        _ = core.answerHTTP(target: Substring("/announce?" + F.query(peer: 2, port: 7002)), source: F.client(1))
        let target =
            "/scrape?info_hash=\(QueryString.percentEncode(F.infoHash.bytes))&info_hash=\(QueryString.percentEncode(F.otherInfoHash.bytes))"
        let answer = core.answerHTTP(target: Substring(target), source: F.client(3))
        guard case .success(let scrape) = try ScrapeResponse.decodeHTTP(answer.body) else { throw CancellationError() }
        #expect(scrape.files[F.infoHash] == ScrapeStats(complete: 1, downloaded: 1, incomplete: 1))
        #expect(scrape.files[F.otherInfoHash] == ScrapeStats(complete: 0, downloaded: 0, incomplete: 0))
        #expect(F.failureReason(core.answerHTTP(target: "/scrape", source: F.client(3)))?.contains("info_hash") == true)
    }

    @Test func statsComeAsAPageJSONAndPrometheusText() throws {
        let core = F.core()
        _ = core.answerHTTP(target: Substring("/announce?" + F.query(peer: 1, left: 0)), source: F.client(1))
        _ = core.answerHTTP(target: Substring("/announce?" + F.query(peer: 2, port: 7002)), source: F.client(1))
        let stats = core.statistics()
        #expect(
            stats.swarms == 1 && stats.peers == 2 && stats.seeders == 1 && stats.leechers == 1 && stats.announces == 2)
        let page = String(decoding: core.answerHTTP(target: "/", source: F.client(1)).body, as: UTF8.self)
        #expect(page.contains("<th>Seeders</th><td>1</td>") && page.contains("Announces per second"))
        let json = core.answerHTTP(target: "/stats.json", source: F.client(1))
        #expect(json.contentType == "application/json")
        #expect(String(decoding: json.body, as: UTF8.self).contains("\"peers\":2"))
        let metrics = String(decoding: core.answerHTTP(target: "/metrics", source: F.client(1)).body, as: UTF8.self)
        #expect(metrics.contains("# TYPE shoal_tracker_peers gauge\nshoal_tracker_peers 2\n"))
        #expect(core.answerHTTP(target: "/nothing", source: F.client(1)).status == 404)
    }

    @Test func theAnnounceRateFollowsTheLastTenSeconds() {
        let clock = ManualClock()
        let core = F.core(clock: clock)
        core.sampleRates()
        for peer in 1...50 {
            _ = core.answerHTTP(
                target: Substring("/announce?" + F.query(peer: peer, port: UInt16(7000 + peer))), source: F.client(1))
        }
        clock.advance(by: 5)
        #expect(core.statistics().announcesPerSecond == 10)
    }
}
