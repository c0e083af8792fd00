import AsyncHTTPClient
import Logging
import NIOCore
import NIOPosix
import Testing
import TrackerProtocol

@testable import TrackerClient

@Suite("Tracker URLs and the factory")
struct TrackerURLTests {
    @Test func sortsURLsByTransport() throws {
        #expect(try TrackerURL("http://t.example/announce") == .http("http://t.example/announce"))
        #expect(try TrackerURL("HTTPS://t.example:8443/a?pk=1") == .http("HTTPS://t.example:8443/a?pk=1"))
        #expect(
            try TrackerURL("udp://tracker.example.org:1337/announce")
                == .udp(host: "tracker.example.org", port: 1337, urlData: Array("/announce".utf8)))
        #expect(try TrackerURL("udp://10.0.0.1:6969") == .udp(host: "10.0.0.1", port: 6969, urlData: []))
        #expect(
            try TrackerURL("udp://[2001:db8::1]:6969/a?k=v#frag")
                == .udp(host: "2001:db8::1", port: 6969, urlData: Array("/a?k=v".utf8)))
    }

    @Test func refusesWhatItCannotUse() {
        #expect(throws: TrackerClientError.unsupportedURL("wss://t.example/announce")) {
            try TrackerURL("wss://t.example/announce")
        }
        for bad in [
            "udp://t.example/announce", "udp://t.example:0", "udp://t.example:70000", "udp://:80", "http://",
            "http:///announce", "udp://[::1/x", "udp://u@t.example:80", "t.example/announce", "http://t:x/a",
        ] {
            #expect(throws: TrackerClientError.invalidURL(bad), "\(bad)") { try TrackerURL(bad) }
        }
    }

    @Test func factoryMakesTheRightTrackersAndReportsTheRest() throws {
        let factory = TrackerFactory(
            httpClient: HTTPClient.shared, eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            logger: Logger(label: "test"))
        #expect(try factory.makeTracker(url: "http://t/announce") is HTTPTracker)
        #expect(try factory.makeTracker(url: "udp://t:1/announce") is UDPTracker<ContinuousClock>)
        var generator = SystemRandomNumberGenerator()
        let (list, rejected) = factory.makeTierList(
            tiers: [["http://a/announce", "wss://b/announce"], [], ["udp://c:1", "http://a/announce"], ["ftp://d"]],
            shuffledWith: &generator)
        #expect(list.tiers.map { $0.map(\.url) } == [["http://a/announce"], ["udp://c:1"]])
        #expect(rejected.map(\.url) == ["wss://b/announce", "ftp://d"])
        #expect(rejected.map(\.error) == [.unsupportedURL("wss://b/announce"), .unsupportedURL("ftp://d")])
    }
}

@Suite("Peer endpoints as NIO socket addresses")
struct PeerEndpointSocketAddressTests {
    @Test func convertsBothWays() throws {
        for text in ["10.1.2.3", "2001:db8::42", "::ffff:192.0.2.1"] {
            let peer = try #require(PeerEndpoint(host: text, port: 51413))
            let address = try peer.socketAddress()
            #expect(address.port == 51413)
            #expect(PeerEndpoint(socketAddress: address) == peer)
        }
        #expect(PeerEndpoint(socketAddress: try SocketAddress(unixDomainSocketPath: "/tmp/x.sock")) == nil)
    }
}
