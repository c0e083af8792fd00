import AsyncHTTPClient
import NIOPosix
import TestSupport
import Testing
import TorrentModel
import TrackerProtocol

@testable import TrackerClient

/// Shoal's HTTP and UDP clients against a real tracker, Debian's opentracker.
@Suite("Interop with opentracker", .serialized)
struct OpenTrackerInteropTests {
    private let listed = Fixtures.infoHash
    private let listedForUDP = Fixtures.otherInfoHash
    private let unlisted = InfoHash(bytes: [UInt8](repeating: 0x5A, count: 20))!

    private func peerID(_ number: UInt8) -> [UInt8] {
        Array("-SH0100-peer".utf8) + [UInt8](repeating: 0x30 + number, count: 8)
    }

    private func exercise(
        _ makeTracker: (OpenTracker) throws -> any Tracker, infoHash: InfoHash,
        refusal: (TrackerClientError) -> Bool
    ) async throws {
        let server = try await OpenTracker.start(whitelistHex: [listed.hex, listedForUDP.hex])
        defer { server.stop() }
        let tracker = try makeTracker(server)

        let first = try await tracker.announce(
            try Fixtures.request(infoHash: infoHash, peerID: peerID(1), port: 7001, left: 100))
        #expect(first.interval > 0)
        #expect(first.incomplete == 1)
        let second = try await tracker.announce(
            try Fixtures.request(infoHash: infoHash, peerID: peerID(2), port: 7002, left: 0))
        // The second peer learns of the first.
        #expect(second.peers.contains(Fixtures.peer("127.0.0.1", 7001)))
        #expect(second.complete == 1 && second.incomplete == 1)

        let scrape = try await tracker.scrape([infoHash])
        #expect(scrape.files[infoHash]?.complete == 1)
        #expect(scrape.files[infoHash]?.incomplete == 1)

        // A stopped peer leaves the swarm.
        _ = try await tracker.announce(
            try Fixtures.request(infoHash: infoHash, peerID: peerID(1), port: 7001, left: 100, event: .stopped))
        let after = try await tracker.scrape([infoHash])
        #expect(after.files[infoHash]?.incomplete == 0)

        let refused = try Fixtures.request(infoHash: unlisted)
        do throws(TrackerClientError) {
            _ = try await tracker.announce(refused)
            Issue.record("opentracker accepted an infohash that is not on its whitelist")
        } catch {
            #expect(refusal(error), "unexpected refusal: \(error)")
        }
    }

    @Test func httpAnnounceScrapeAndRefusal() async throws {
        try await exercise(
            {
                HTTPTracker(
                    url: $0.httpURL, client: HTTPClient.shared, settings: Fixtures.fastSettings, logger: Fixtures.logger
                )
            },
            infoHash: listed
        ) { error in
            guard case .trackerFailure(let reason) = error else { return false }
            return reason == "Requested download is not authorized for use with this tracker."
        }
    }

    @Test func udpAnnounceScrapeAndRefusal() async throws {
        try await exercise(
            {
                try UDPTracker(
                    url: $0.udpURL, eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
                    settings: Fixtures.fastSettings, logger: Fixtures.logger)
            }, infoHash: listedForUDP
        ) { error in
            // Over UDP opentracker refuses with a bare 8-byte announce header, which BEP 15 does not allow.
            error == .malformedResponse(.udpBadLength(packet: "announce response", length: 8))
        }
    }

    @Test func announcerFallsBackToTheNextTierAndStopsCleanly() async throws {
        let server = try await OpenTracker.start(whitelistHex: [listed.hex])
        defer { server.stop() }
        let silent = try await UDPTestServer.start(behaviour: .init(dropAll: true))
        var settings = Fixtures.fastSettings
        settings.udpMaximumRetransmissions = 0
        let factory = TrackerFactory(
            httpClient: HTTPClient.shared, eventLoopGroup: MultiThreadedEventLoopGroup.singleton, settings: settings,
            logger: Fixtures.logger)
        let trackers = TrackerTierList(orderedTiers: [
            [try factory.makeTracker(url: silent.url)], [try factory.makeTracker(url: server.httpURL)],
        ])
        // Another peer is already in the swarm.
        let other = HTTPTracker(url: server.httpURL, client: HTTPClient.shared, logger: Fixtures.logger)
        _ = try await other.announce(try Fixtures.request(infoHash: listed, peerID: peerID(9), port: 7009, left: 0))

        let announcer = try Announcer(
            infoHash: listed, peerID: peerID(3), port: 7003, key: 1, trackers: trackers, settings: settings,
            logger: Fixtures.logger)
        let received = Locked<[[PeerEndpoint]]>([])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await announcer.run(
                    progress: { AnnounceProgress(uploaded: 0, downloaded: 0, left: 500) },
                    onPeers: { peers in received.withLock { $0.append(peers) } })
            }
            try await eventually("peers from opentracker") { !received.current.isEmpty }
            announcer.stop()
            try await group.waitForAll()
        }
        try await silent.shutdown()
        #expect(received.current.first?.contains(Fixtures.peer("127.0.0.1", 7009)) == true)
        let statuses = await announcer.trackerStatuses
        #expect(statuses.map(\.state) == [.failing, .working])
        #expect(statuses[0].lastError == "tracker did not answer in time")
        #expect(statuses[1].seeders == 1)
        // `stopped` reached opentracker: only the seed is left.
        let scrape = try await other.scrape([listed])
        #expect(
            scrape.files[listed]
                == ScrapeStats(complete: 1, downloaded: scrape.files[listed]?.downloaded ?? 0, incomplete: 0))
    }
}
