import Testing
import TorrentModel

@testable import TrackerProtocol

@Suite("HTTP scrape")
struct ScrapeTests {
    @Test func buildsAndParsesTheQuery() throws {
        let request = ScrapeRequest(infoHashes: [Fixtures.infoHash, Fixtures.otherInfoHash])
        let abHash = String(repeating: "%AB", count: 20)
        #expect(
            request.httpQuery
                == "info_hash=%01%02%03%04%05%06%07%08%09%0A%0B%0C%0D%0E%0F%10%11%12%13%14&info_hash=\(abHash)")
        #expect(try ScrapeRequest(httpQuery: request.httpQuery) == request)
        #expect(try ScrapeRequest(httpQuery: "") == ScrapeRequest(infoHashes: []))
        #expect(try ScrapeRequest(httpQuery: "passkey=x&info_hash=\(abHash)").infoHashes == [Fixtures.otherInfoHash])
        #expect(request.httpURL(scrapeURL: "http://t/scrape?pk=1").hasPrefix("http://t/scrape?pk=1&info_hash=%01"))
    }

    @Test func refusesBadScrapeQueries() {
        #expect(throws: TrackerProtocolError.badInfoHashLength(3)) { try ScrapeRequest(httpQuery: "info_hash=abc") }
        #expect(throws: TrackerProtocolError.badPercentEncoding(field: "info_hash")) {
            try ScrapeRequest(httpQuery: "info_hash=%%")
        }
        let many = Array(repeating: "info_hash=" + String(repeating: "a", count: 20), count: 257).joined(separator: "&")
        #expect(throws: TrackerProtocolError.tooManyInfoHashes(count: 257, limit: 256)) {
            try ScrapeRequest(httpQuery: many)
        }
    }

    @Test func derivesTheScrapeURLAsBEP48Says() {
        let cases: [(String, String?)] = [
            ("http://example.com/announce", "http://example.com/scrape"),
            ("http://example.com/x/announce", "http://example.com/x/scrape"),
            ("http://example.com/announce.php", "http://example.com/scrape.php"),
            ("http://example.com/announce?x2%0644", "http://example.com/scrape?x2%0644"),
            ("https://example.com:8443/pk/announce?passkey=a/b", "https://example.com:8443/pk/scrape?passkey=a/b"),
            ("http://example.com/a", nil),
            ("http://example.com/announce?x=2/4", "http://example.com/scrape?x=2/4"),
            ("http://example.com/x%064announce", nil),
            ("http://example.com/announce/x", nil),
            ("no-slash", nil),
        ]
        for (announce, scrape) in cases {
            #expect(ScrapeRequest.scrapeURL(forAnnounceURL: announce) == scrape, "\(announce)")
        }
    }

    @Test func responseRoundTrips() throws {
        let response = ScrapeResponse(
            files: [
                Fixtures.infoHash: ScrapeStats(complete: 5, downloaded: 50, incomplete: 10),
                Fixtures.otherInfoHash: ScrapeStats(complete: 0, downloaded: 0, incomplete: 1),
            ], minRequestInterval: 900)
        #expect(try ScrapeResponse.decodeHTTP(response.bencoded()) == .success(response))
        let one = ScrapeResponse(files: [Fixtures.otherInfoHash: ScrapeStats(complete: 1, downloaded: 2, incomplete: 3)]
        )
        #expect(
            one.bencoded()
                == Fixtures.bytes("d5:filesd20:") + Fixtures.otherInfoHash.bytes
                + Fixtures.bytes("d8:completei1e10:downloadedi2e10:incompletei3eeee"))
        let failure = TrackerReply<ScrapeResponse>.failure(reason: "scrape disabled")
        #expect(try ScrapeResponse.decodeHTTP(failure.bencoded()) == failure)
    }

    @Test func readsLenientResponses() throws {
        // Keys out of order, missing counts, a `name` field, no `files` at all.
        let body =
            Fixtures.bytes("d5:filesd20:") + Fixtures.infoHash.bytes
            + Fixtures.bytes("d10:incompletei2e4:name1:x8:completei1eeee")
        #expect(
            try ScrapeResponse.decodeHTTP(body)
                == .success(
                    ScrapeResponse(files: [Fixtures.infoHash: ScrapeStats(complete: 1, downloaded: 0, incomplete: 2)])))
        #expect(try ScrapeResponse.decodeHTTP(Fixtures.bytes("de")) == .success(ScrapeResponse(files: [:])))
    }

    @Test func refusesMalformedScrapeResponses() {
        let cases: [([UInt8], TrackerProtocolError)] = [
            (Fixtures.bytes("d5:filesd3:abcdeee"), .badScrapeInfoHash(length: 3)),
            (Fixtures.bytes("d5:filesi1ee"), .wrongType(key: "files", expected: "a dictionary")),
            (Fixtures.bytes("d5:filesd20:") + Fixtures.infoHash.bytes + Fixtures.bytes("i1eee"), .notADictionary),
            (
                Fixtures.bytes("d5:filesd20:") + Fixtures.infoHash.bytes + Fixtures.bytes("d8:completei-1eeee"),
                .negativeValue(key: "complete", value: -1)
            ),
            (
                Fixtures.bytes("d5:flagsd20:min_request_intervali-1eee"),
                .negativeValue(key: "min_request_interval", value: -1)
            ),
            (Fixtures.bytes("le"), .notADictionary),
        ]
        for (bytes, error) in cases {
            #expect(throws: error, "\(Fixtures.text(bytes))") { try ScrapeResponse.decodeHTTP(bytes) }
        }
        #expect(throws: TrackerProtocolError.self) { try ScrapeResponse.decodeHTTP(Fixtures.bytes("d5:files")) }
    }
}
