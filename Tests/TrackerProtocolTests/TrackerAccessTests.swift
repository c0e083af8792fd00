import TestSupport
import Testing
import TorrentModel

@testable import TrackerProtocol

@Suite("tracker access: policy, allow list, passkey routes, rate limit, connection ids")
struct TrackerAccessTests {
    static let listed = InfoHash(bytes: Array(repeating: 1, count: 20))!
    static let unlisted = InfoHash(bytes: Array(repeating: 2, count: 20))!

    @Test func anOpenTrackerTakesAnyTorrentAndIgnoresPasskeys() {
        #expect(TrackerAccessPolicy.open.refusal(infoHash: Self.unlisted, passkey: nil) == nil)
        #expect(TrackerAccessPolicy.open.refusal(infoHash: Self.unlisted, passkey: "whatever") == nil)
    }

    @Test func anAllowListRefusesOtherTorrents() {
        let policy = TrackerAccessPolicy(allowedInfoHashes: [Self.listed])
        #expect(policy.refusal(infoHash: Self.listed, passkey: nil) == nil)
        #expect(policy.refusal(infoHash: Self.unlisted, passkey: nil)?.contains("unregistered torrent") == true)
    }

    @Test func aPrivateTrackerWantsAKnownPasskey() {
        let policy = TrackerAccessPolicy(allowedInfoHashes: [Self.listed], passkeys: ["good-key-0123456789"])
        #expect(policy.refusal(infoHash: Self.listed, passkey: nil)?.contains("private") == true)
        #expect(policy.refusal(infoHash: Self.listed, passkey: "") != nil)
        #expect(policy.refusal(infoHash: Self.listed, passkey: "revoked-key-0123456") == "unknown or revoked passkey")
        #expect(policy.refusal(infoHash: Self.listed, passkey: "good-key-0123456789") == nil)
        #expect(policy.refusal(infoHash: Self.unlisted, passkey: "good-key-0123456789") != nil)
    }

    @Test func theAllowFileTakesHexAndBase32WithCommentsAndNamesABadLine() throws {
        let text = """
            # swarms of the company
            \(Self.listed.hex)   # the keynote
            \(Self.unlisted.base32.lowercased())

            """
        #expect(try InfoHashAllowList.parse(text) == [Self.listed, Self.unlisted])
        #expect(throws: InfoHashAllowList.BadLine(line: 2, text: "not-a-hash")) {
            try InfoHashAllowList.parse("\(Self.listed.hex)\nnot-a-hash\n")
        }
    }

    @Test func routesNamePasskeysInThePath() {
        #expect(TrackerHTTPRoute(target: "/announce?a=1") == .announce(passkey: nil, query: "a=1"))
        #expect(TrackerHTTPRoute(target: "/announce/k3y?x") == .announce(passkey: "k3y", query: "x"))
        #expect(TrackerHTTPRoute(target: "/scrape/k3y") == .scrape(passkey: "k3y", query: ""))
        #expect(TrackerHTTPRoute(target: "/") == .statsPage)
        #expect(TrackerHTTPRoute(target: "/stats.json") == .statsJSON)
        #expect(TrackerHTTPRoute(target: "/metrics") == .metrics)
        #expect(TrackerHTTPRoute(target: "/announce/a/b") == .notFound)
        #expect(TrackerHTTPRoute(target: "/favicon.ico") == .notFound)
        #expect(TrackerHTTPRoute.passkey(inUDPURLData: Array("/announce/k3y".utf8)) == "k3y")
        #expect(TrackerHTTPRoute.passkey(inUDPURLData: Array("/announce".utf8)) == nil)
        #expect(TrackerHTTPRoute.passkey(inUDPURLData: []) == nil)
    }

    @Test func theRateLimiterAllowsABurstThenTheRate() {
        var limiter = AddressRateLimiter(settings: .init(ratePerSecond: 10, burst: 5))
        let client = TrackerPeerAddress(addressBytes: [192, 0, 2, 1], port: 1000)!
        let samePlaceOtherPort = client.withPort(2000)
        let other = TrackerPeerAddress(addressBytes: [192, 0, 2, 2], port: 1000)!
        var allowed = 0
        for _ in 0..<5 where limiter.allow(client, now: 0) { allowed += 1 }
        #expect(allowed == 5)
        let samePlace = limiter.allow(samePlaceOtherPort, now: 0)
        let otherAddress = limiter.allow(other, now: 0)
        #expect(!samePlace && otherAddress)
        // A tenth of a second later one more token has come in, and only one.
        let first = limiter.allow(client, now: 0.1)
        let second = limiter.allow(client, now: 0.1)
        #expect(first && !second)
        limiter.forgetIdle(now: 10)
        #expect(limiter.trackedAddresses == 0)
    }

    @Test func theRateLimiterTableStaysBounded() {
        var limiter = AddressRateLimiter(settings: .init(ratePerSecond: 1, burst: 1, maximumAddresses: 100))
        for index in 0..<10_000 {
            let address = TrackerPeerAddress(
                addressBytes: [10, UInt8(index >> 16), UInt8(index >> 8 & 0xFF), UInt8(index & 0xFF)], port: 1)!
            _ = limiter.allow(address, now: 0)
        }
        #expect(limiter.trackedAddresses == 100)
        #expect(AddressRateLimiter(settings: .init(ratePerSecond: 0, burst: 0)).trackedAddresses == 0)
    }

    @Test func connectionIDsLiveOneToTwoWindowsForOneIPAddressOnly() {
        let ids = UDPConnectionIDs(secret: Array(repeating: 3, count: 32), window: 60)
        let client = TrackerPeerAddress(addressBytes: [192, 0, 2, 1], port: 1000)!
        let id = ids.issue(for: client, now: 130)
        #expect(ids.isValid(id, for: client, now: 130))
        #expect(ids.isValid(id, for: client, now: 239))
        #expect(!ids.isValid(id, for: client, now: 240))
        // Any port of the same address: a client may send each request from a new socket.
        #expect(ids.isValid(id, for: client.withPort(1001), now: 130))
        #expect(!ids.isValid(id, for: TrackerPeerAddress(addressBytes: [192, 0, 2, 2], port: 1000)!, now: 130))
        let otherTracker = UDPConnectionIDs(secret: Array(repeating: 4, count: 32), window: 60)
        #expect(!otherTracker.isValid(id, for: client, now: 130))
    }

    @Test func guessedConnectionIDsAreRefused() {
        let ids = UDPConnectionIDs(secret: Array(repeating: 5, count: 32))
        let client = TrackerPeerAddress(addressBytes: [192, 0, 2, 1], port: 1000)!
        var random = SeededRandom(seed: 9)
        let accepted = (0..<10_000).filter { _ in ids.isValid(random.next(), for: client, now: 1000) }
        #expect(accepted.isEmpty)
        #expect(!ids.isValid(TrackerLimits.udpProtocolID, for: client, now: 1000))
    }
}
