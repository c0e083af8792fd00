import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
import TorrentModel
import TrackerProtocol

@testable import TrackerClient

/// How an announce reaches the tracker: through async-http-client's shared client, or on a connection of its own
/// bound to an outgoing address (a node with `--bind`). Both must behave the same.
enum HTTPRoute: String, CaseIterable, CustomTestStringConvertible {
    case sharedClient
    case boundConnection

    /// A loopback address other than the server's, so the test sees which one the request came from.
    static let outgoingHost = "127.0.0.9"

    var testDescription: String { rawValue }

    func settings(_ settings: TrackerClientSettings) -> TrackerClientSettings {
        var settings = settings
        if self == .boundConnection {
            settings.outgoingAddress = try? SocketAddress(ipAddress: Self.outgoingHost, port: 0)
        }
        return settings
    }

    /// The address the server should see requests come from.
    var expectedSource: String { self == .boundConnection ? Self.outgoingHost : "127.0.0.1" }
}

@Suite("HTTP tracker against a loopback server")
struct HTTPTrackerTests {
    private func tracker(
        _ server: HTTPTestServer, _ route: HTTPRoute, path: String = "/announce", settings: TrackerClientSettings? = nil
    )
        -> HTTPTracker
    {
        HTTPTracker(
            url: server.url(path), client: HTTPClient.shared,
            settings: route.settings(settings ?? Fixtures.fastSettings),
            logger: Fixtures.logger)
    }

    private func withServer(
        _ handler: @escaping HTTPTestServer.Handler, _ body: (HTTPTestServer) async throws -> Void
    ) async throws {
        let server = try await HTTPTestServer.start(handler: handler)
        do {
            try await body(server)
        } catch {
            try await server.shutdown()
            throw error
        }
        try await server.shutdown()
    }

    private let expected = AnnounceResponse(
        interval: 900, minInterval: 60, trackerID: Array("t-1".utf8), complete: 5, incomplete: 7,
        peers: [Fixtures.peer("10.0.0.1", 6881), Fixtures.peer("10.0.0.2", 51413), Fixtures.peer("2001:db8::5", 6881)],
        warning: "tracker is busy")

    @Test(arguments: HTTPRoute.allCases) func announcesAndReadsCompactPeers(route: HTTPRoute) async throws {
        let body = expected.bencoded(peerForm: .compact)
        try await withServer({ _ in .respond(status: 200, body: body) }) { server in
            let request = try Fixtures.request()
            let response = try await tracker(server, route).announce(request)
            #expect(response == expected)
            // The infohash goes out as raw bytes, percent-encoded.
            #expect(server.targets == ["/announce?" + request.httpQuery])
            #expect(server.sources == [route.expectedSource])
            #expect(server.targets[0].hasPrefix("/announce?info_hash=%01%02%03%04%05%06%07%08%09%0A%0B"))
        }
    }

    @Test(arguments: HTTPRoute.allCases) func readsDictionaryPeers(route: HTTPRoute) async throws {
        let body = expected.bencoded(peerForm: .dictionary)
        let request = try Fixtures.request()
        try await withServer({ _ in .respond(status: 200, body: body) }) { server in
            let response = try await tracker(server, route).announce(request)
            #expect(response == expected)
        }
    }

    @Test(arguments: HTTPRoute.allCases) func keepsThePasskeyQuery(route: HTTPRoute) async throws {
        let body = AnnounceResponse(interval: 60).bencoded(peerForm: .compact)
        try await withServer({ _ in .respond(status: 200, body: body) }) { server in
            let request = try Fixtures.request()
            _ = try await tracker(server, route, path: "/pk/announce?passkey=s3cret").announce(request)
            #expect(server.targets == ["/pk/announce?passkey=s3cret&" + request.httpQuery])
        }
    }

    @Test(arguments: HTTPRoute.allCases) func failuresReachTheCaller(route: HTTPRoute) async throws {
        let failure = TrackerReply<AnnounceResponse>.failure(reason: "unregistered torrent").bencoded(
            peerForm: .compact)
        let cases: [(HTTPTestServer.Reply, TrackerClientError)] = [
            (.respond(status: 200, body: failure), .trackerFailure("unregistered torrent")),
            // Some trackers send the failure with an error status.
            (.respond(status: 403, body: failure), .trackerFailure("unregistered torrent")),
            (.respond(status: 404, body: Array("not found".utf8)), .httpStatus(404)),
            (
                .respond(status: 200, body: Array("<html>".utf8)),
                .malformedResponse(.bencode(.init(.unexpectedByte(0x3C), at: 0)))
            ),
            (
                .respond(status: 200, body: Array("d8:intervali5e5:peers5:abcdee".utf8)),
                .malformedResponse(.compactPeersMisaligned(key: "peers", length: 5, entrySize: 6))
            ),
        ]
        for (reply, error) in cases {
            try await withServer({ _ in reply }) { server in
                await #expect(throws: error) { try await tracker(server, route).announce(try Fixtures.request()) }
            }
        }
    }

    @Test(arguments: HTTPRoute.allCases) func refusesOversizedResponses(route: HTTPRoute) async throws {
        var settings = Fixtures.fastSettings
        settings.maximumResponseSize = 1000
        let big = AnnounceResponse(
            interval: 60, peers: (0..<200).map { Fixtures.peer("10.0.\($0 / 250).\($0 % 250)", 6881) })
        let body = big.bencoded(peerForm: .compact)
        #expect(body.count > 1000)
        try await withServer({ _ in .respond(status: 200, body: body) }) { server in
            await #expect(throws: TrackerClientError.responseTooLarge(limit: 1000)) {
                try await tracker(server, route, settings: settings).announce(try Fixtures.request())
            }
            // Under the limit the same tracker is fine.
            settings.maximumResponseSize = 2000
            let response = try await tracker(server, route, settings: settings).announce(try Fixtures.request())
            #expect(response == big)
        }
    }

    @Test(arguments: HTTPRoute.allCases) func timesOutOnASilentTracker(route: HTTPRoute) async throws {
        var settings = Fixtures.fastSettings
        settings.httpTimeout = .milliseconds(300)
        try await withServer({ _ in .hang }) { server in
            let start = ContinuousClock.now
            await #expect(throws: TrackerClientError.timedOut) {
                try await tracker(server, route, settings: settings).announce(try Fixtures.request())
            }
            let elapsed = ContinuousClock.now - start
            // The upper bound only catches a hang (the server never answers); a loaded machine is slow anyway.
            #expect(elapsed >= .milliseconds(250) && elapsed < .seconds(60))
        }
    }

    @Test(arguments: HTTPRoute.allCases) func reportsAnUnreachableTracker(route: HTTPRoute) async throws {
        let server = try await HTTPTestServer.start { _ in .hang }
        let url = server.url("/announce")
        try await server.shutdown()
        // async-http-client retries refused connections until the deadline, so keep it short.
        var settings = Fixtures.fastSettings
        settings.httpTimeout = .milliseconds(500)
        let tracker = HTTPTracker(
            url: url, client: HTTPClient.shared, settings: route.settings(settings), logger: Fixtures.logger)
        let request = try Fixtures.request()
        do throws(TrackerClientError) {
            _ = try await tracker.announce(request)
            Issue.record("announce to a closed port succeeded")
        } catch {
            guard case .network(let reason) = error else {
                Issue.record("expected a network error, got \(error)")
                return
            }
            #expect(reason.localizedCaseInsensitiveContains("refused"))
        }
    }

    @Test(arguments: HTTPRoute.allCases) func scrapesTheBEP48URL(route: HTTPRoute) async throws {
        let stats = ScrapeResponse(files: [Fixtures.infoHash: ScrapeStats(complete: 1, downloaded: 2, incomplete: 3)])
        let body = stats.bencoded()
        try await withServer({ _ in .respond(status: 200, body: body) }) { server in
            let response = try await tracker(server, route, path: "/x/announce.php?pk=1").scrape([Fixtures.infoHash])
            #expect(response == stats)
            #expect(
                server.targets == [
                    "/x/scrape.php?pk=1&info_hash=%01%02%03%04%05%06%07%08%09%0A%0B%0C%0D%0E%0F%10%11%12%13%14"
                ])
            await #expect(throws: TrackerClientError.scrapeUnsupported) {
                try await tracker(server, route, path: "/tracker").scrape([Fixtures.infoHash])
            }
        }
    }
}
