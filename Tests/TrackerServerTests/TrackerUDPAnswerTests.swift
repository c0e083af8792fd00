import TestSupport
import Testing
import TorrentModel
import TrackerProtocol

@testable import TrackerServer

@Suite("the tracker over UDP (BEP 15), without sockets")
struct TrackerUDPAnswerTests {
    typealias F = TrackerFixtures

    static func connect(_ core: TrackerCore, from client: TrackerPeerAddress) throws -> UInt64 {
        let request = UDPTrackerRequest.connect(transactionID: 99).encoded()
        let reply = try #require(core.answerUDP(request, source: client))
        // The one answer an unproven address gets is no bigger than what it sent.
        #expect(reply.count == request.count)
        guard case .connect(99, let id) = try UDPTrackerResponse.decode(reply, peerFamily: .ipv4) else {
            Issue.record("not a connect response")
            throw CancellationError()
        }
        return id
    }

    @Test func connectThenAnnounceAndScrape() throws {
        let core = F.core()
        let first = F.client(1, port: 5000)
        let second = F.client(2, port: 5000)
        let firstID = try Self.connect(core, from: first)
        _ = try #require(core.answerUDP(try F.udpAnnounce(connectionID: firstID, peer: 1, port: 7001), source: first))
        let secondID = try Self.connect(core, from: second)
        let reply = try #require(
            core.answerUDP(
                try F.udpAnnounce(connectionID: secondID, transactionID: 8, peer: 2, port: 7002, left: 0),
                source: second))
        guard case .announce(8, let response) = try UDPTrackerResponse.decode(reply, peerFamily: .ipv4) else {
            Issue.record("not an announce response")
            return
        }
        #expect(response.peers == [PeerEndpoint(host: "127.0.0.1", port: 7001)!])
        #expect(response.complete == 1 && response.incomplete == 1 && response.interval == 1800)

        let scrape = UDPTrackerRequest.scrape(
            connectionID: secondID, transactionID: 9, infoHashes: [F.infoHash, F.otherInfoHash])
        let scraped = try #require(core.answerUDP(scrape.encoded(), source: second))
        guard case .scrape(9, let stats) = try UDPTrackerResponse.decode(scraped, peerFamily: .ipv4) else {
            Issue.record("not a scrape response")
            return
        }
        #expect(
            stats == [
                ScrapeStats(complete: 1, downloaded: 0, incomplete: 1),
                ScrapeStats(complete: 0, downloaded: 0, incomplete: 0),
            ])
    }

    @Test func aForgedOrForeignOrExpiredConnectionIDGetsNoAnswer() throws {
        let clock = ManualClock()
        let core = F.core(clock: clock)
        let client = F.client(1, port: 5000)
        let id = try Self.connect(core, from: client)
        #expect(core.answerUDP(try F.udpAnnounce(connectionID: id &+ 1), source: client) == nil)
        // An id made for one address is worth nothing from another: a spoofer never sees it.
        #expect(core.answerUDP(try F.udpAnnounce(connectionID: id), source: F.client(2, port: 5000)) == nil)
        let scrape = UDPTrackerRequest.scrape(connectionID: id &+ 1, transactionID: 1, infoHashes: [F.infoHash])
        #expect(core.answerUDP(scrape.encoded(), source: client) == nil)
        #expect(core.answerUDP(try F.udpAnnounce(connectionID: id), source: client) != nil)
        clock.advance(by: 121)
        #expect(core.answerUDP(try F.udpAnnounce(connectionID: id), source: client) == nil)
        #expect(core.statistics().udpDropped == 4)
        #expect(core.statistics().peers == 1)
    }

    @Test func garbageGetsNoAnswerAndNothingAnswersLargerThanItsRequestWithoutAValidID() throws {
        let core = F.core()
        let client = F.client(1, port: 5000)
        var random = SeededRandom(seed: 77)
        for length in [0, 1, 15, 16, 17, 97, 98, 99, 200, 1500, 2048, 4000] {
            for _ in 0..<50 {
                var packet = random.bytes(count: length)
                // Half of them with a real action field, to get past the first check.
                if length >= 16 && random.below(2) == 0 { packet[8..<12] = [0, 0, 0, UInt8(random.below(4))] }
                if let reply = core.answerUDP(packet, source: client) {
                    #expect(reply.count <= packet.count, "a \(packet.count)-byte packet got \(reply.count) bytes")
                }
            }
        }
        #expect(core.statistics().peers == 0)
    }

    @Test func aPrivateTrackerTakesThePasskeyFromTheURLData() throws {
        let core = F.core { $0.access = TrackerAccessPolicy(passkeys: ["alice-key-0123456789"]) }
        let client = F.client(1, port: 5000)
        let id = try Self.connect(core, from: client)
        let refused = try #require(core.answerUDP(try F.udpAnnounce(connectionID: id), source: client))
        guard case .error(7, let message) = try UDPTrackerResponse.decode(refused, peerFamily: .ipv4) else {
            Issue.record("not an error")
            return
        }
        #expect(message.contains("private"))
        let accepted = try #require(
            core.answerUDP(
                try F.udpAnnounce(connectionID: id, urlData: Array("/announce/alice-key-0123456789".utf8)),
                source: client))
        guard case .announce = try UDPTrackerResponse.decode(accepted, peerFamily: .ipv4) else {
            Issue.record("a valid passkey was refused")
            return
        }
    }

    @Test func overTheRatePacketsAreDropped() throws {
        let core = F.core { $0.rateLimit = AddressRateLimiter.Settings(ratePerSecond: 1, burst: 2) }
        let client = F.client(1, port: 5000)
        let request = UDPTrackerRequest.connect(transactionID: 1).encoded()
        #expect(core.answerUDP(request, source: client) != nil)
        #expect(core.answerUDP(request, source: client) != nil)
        #expect(core.answerUDP(request, source: client) == nil)
        #expect(core.statistics().rateLimited == 1)
    }
}
