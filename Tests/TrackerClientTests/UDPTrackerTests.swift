import NIOCore
import NIOPosix
import Testing
import TorrentModel
import TrackerProtocol

@testable import TrackerClient

@Suite("UDP tracker against a loopback server")
struct UDPTrackerTests {
    private func tracker(
        _ server: UDPTestServer, settings: TrackerClientSettings? = nil
    ) throws -> UDPTracker<
        ContinuousClock
    > {
        try UDPTracker(
            url: server.url, eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            settings: settings ?? Fixtures.fastSettings, logger: Fixtures.logger)
    }

    private func withServer(
        host: String = "127.0.0.1", _ behaviour: UDPTestServer.Behaviour = .init(),
        _ body: (UDPTestServer) async throws -> Void
    ) async throws {
        let server = try await UDPTestServer.start(host: host, behaviour: behaviour)
        do {
            try await body(server)
        } catch {
            try await server.shutdown()
            throw error
        }
        try await server.shutdown()
    }

    private let v4Peers = [Fixtures.peer("10.0.0.1", 6881), Fixtures.peer("192.168.1.20", 51413)]

    @Test func connectsThenAnnounces() async throws {
        try await withServer(.init(peers: v4Peers, interval: 1234)) { server in
            let request = try Fixtures.request()
            let response = try await tracker(server, settings: Fixtures.patientSettings).announce(request)
            #expect(response == AnnounceResponse(interval: 1234, complete: 2, incomplete: 3, peers: v4Peers))
            let received = server.state.current.received
            #expect(received.count == 2)
            #expect(received.first?.action == .connect)
            guard case .announce(let connectionID, _, let sent, let urlData) = received.last else {
                Issue.record("the second packet was not an announce")
                return
            }
            #expect(server.state.current.issuedConnectionIDs == [connectionID])
            #expect(sent == request)
            #expect(urlData == Array("/announce".utf8))
        }
    }

    @Test func leavesFromTheOutgoingAddress() async throws {
        try await withServer(.init(peers: v4Peers)) { server in
            var settings = Fixtures.patientSettings
            #expect(try await tracker(server, settings: settings).announce(try Fixtures.request()).peers == v4Peers)
            #expect(server.state.current.sources == ["127.0.0.1", "127.0.0.1"])
            settings.outgoingAddress = try SocketAddress(ipAddress: "127.0.0.9", port: 0)
            #expect(try await tracker(server, settings: settings).announce(try Fixtures.request()).peers == v4Peers)
            #expect(server.state.current.sources == ["127.0.0.1", "127.0.0.1", "127.0.0.9", "127.0.0.9"])
        }
    }

    @Test func reusesTheConnectionIDForItsLifetime() async throws {
        try await withServer { server in
            let tracker = try tracker(server, settings: Fixtures.patientSettings)
            for _ in 0..<3 { _ = try await tracker.announce(try Fixtures.request(event: .none)) }
            #expect(server.connects == 1)
            #expect(server.announces.count == 3)
            #expect(server.state.current.rejectedConnectionIDs.isEmpty)
        }
    }

    @Test func reconnectsWhenTheConnectionIDExpires() async throws {
        // Packets are counted, so no retransmissions; and a lifetime long enough that a loaded CI machine cannot let it
        // expire between one announce's connect and its announce.
        var settings = Fixtures.patientSettings
        settings.udpConnectionIDLifetime = .milliseconds(800)
        try await withServer { server in
            let tracker = try tracker(server, settings: settings)
            _ = try await tracker.announce(try Fixtures.request())
            try await Task.sleep(for: .milliseconds(1200))
            _ = try await tracker.announce(try Fixtures.request(event: .none))
            #expect(server.connects == 2)
            #expect(server.announces.map(\.event) == [.started, .none])
        }
    }

    @Test func retransmitsWithDoublingTimeouts() async throws {
        // The first two packets (both connects) go unanswered: 100 ms, then 200 ms, then an answer.
        try await withServer(.init(dropFirst: 2)) { server in
            let start = ContinuousClock.now
            _ = try await tracker(server).announce(try Fixtures.request())
            let elapsed = ContinuousClock.now - start
            #expect(server.connects == 3)
            #expect(server.announces.count == 1)
            // Only a lower bound: how long a loaded CI machine takes is no property of the code.
            #expect(elapsed >= .milliseconds(300))
        }
    }

    @Test func givesUpAfterTheLastRetransmission() async throws {
        try await withServer(.init(dropAll: true)) { server in
            let start = ContinuousClock.now
            await #expect(throws: TrackerClientError.timedOut) {
                try await tracker(server).announce(try Fixtures.request())
            }
            let elapsed = ContinuousClock.now - start
            // One send and two retransmissions: 100 + 200 + 400 ms. No upper bound on the time: a loaded CI
            // machine decides that; the packet count shows nothing is sent after the last retransmission.
            #expect(server.state.current.packetsSeen == 3)
            #expect(elapsed >= .milliseconds(700))
        }
    }

    @Test func errorPacketIsATrackerFailureAndDropsTheConnectionID() async throws {
        try await withServer(.init(announceError: "torrent not registered")) { server in
            let tracker = try tracker(server, settings: Fixtures.patientSettings)
            await #expect(throws: TrackerClientError.trackerFailure("torrent not registered")) {
                try await tracker.announce(try Fixtures.request())
            }
            #expect(await tracker.cachedConnectionID == nil)
            server.state.withLock { $0.behaviour.announceError = nil }
            _ = try await tracker.announce(try Fixtures.request())
            #expect(server.connects == 2)
        }
    }

    @Test func aForgottenConnectionIDIsRefusedThenRenewed() async throws {
        try await withServer { server in
            let tracker = try tracker(server)
            _ = try await tracker.announce(try Fixtures.request())
            // The tracker restarts and forgets the ids it issued; the client's cached id is now wrong.
            server.state.withLock { $0.issuedConnectionIDs.removeAll() }
            let connectsBefore = server.connects
            await #expect(throws: TrackerClientError.trackerFailure("bad connection id")) {
                try await tracker.announce(try Fixtures.request(event: .none))
            }
            _ = try await tracker.announce(try Fixtures.request(event: .none))
            // Counted by id, not by packet: on a loaded machine an answer later than the 100-ms time-out makes the
            // client send the same packet again.
            #expect(Set(server.state.current.rejectedConnectionIDs).count == 1, "only the stale id was refused")
            #expect(server.connects > connectsBefore, "the client connected again after the refusal")
        }
    }

    @Test func ignoresAnswersToOtherTransactions() async throws {
        try await withServer(.init(sendStrayAnswerFirst: true, peers: v4Peers)) { server in
            let response = try await tracker(server).announce(try Fixtures.request())
            #expect(response.peers == v4Peers)
        }
    }

    @Test func refusesAMalformedAnswer() async throws {
        try await withServer(.init(malformedAnnounceBody: [1, 2, 3, 4, 5, 6, 7])) { server in
            await #expect(
                throws: TrackerClientError.malformedResponse(.udpBadLength(packet: "announce response", length: 15))
            ) {
                try await tracker(server).announce(try Fixtures.request())
            }
        }
    }

    @Test func readsEighteenBytePeersOverIPv6() async throws {
        let v6Peers = [Fixtures.peer("2001:db8::1", 6881), Fixtures.peer("::1", 7000), Fixtures.peer("fe80::1:2", 1)]
        try await withServer(host: "::1", .init(peers: v6Peers)) { server in
            #expect(server.url.hasPrefix("udp://[::1]:"))
            let response = try await tracker(server).announce(try Fixtures.request())
            #expect(response.peers == v6Peers)
        }
    }

    @Test func scrapesInPacketsOfAtMost74() async throws {
        try await withServer { server in
            let tracker = try tracker(server)
            let one = try await tracker.scrape([Fixtures.infoHash, Fixtures.otherInfoHash])
            #expect(
                one.files == [
                    Fixtures.infoHash: ScrapeStats(complete: 0, downloaded: 10, incomplete: 20),
                    Fixtures.otherInfoHash: ScrapeStats(complete: 1, downloaded: 11, incomplete: 21),
                ])
            let hashes = (0..<80).map { InfoHash(bytes: [UInt8](repeating: UInt8($0), count: 20))! }
            let many = try await tracker.scrape(hashes)
            #expect(many.files.count == 80)
            #expect(many.files[hashes[79]] == ScrapeStats(complete: 5, downloaded: 15, incomplete: 25))
            // A loaded machine may answer after the 100-ms time-out: a retransmission repeats a packet (with a new
            // transaction id), so packets are counted by their contents.
            var batches: [[InfoHash]] = []
            var connectionIDs = Set<UInt64>()
            for request in server.state.current.received {
                guard case .scrape(let connectionID, _, let infoHashes) = request else { continue }
                connectionIDs.insert(connectionID)
                if !batches.contains(infoHashes) { batches.append(infoHashes) }
            }
            #expect(batches.map(\.count) == [2, 74, 6])
            #expect(Array(batches.dropFirst().joined()) == hashes)
            // One connection id served every scrape: the tracker connected once and reused it.
            #expect(connectionIDs.count == 1)
        }
    }

    @Test func aClosedPortFailsFast() async throws {
        let server = try await UDPTestServer.start()
        let url = server.url
        try await server.shutdown()
        var settings = Fixtures.fastSettings
        settings.udpBaseTimeout = .seconds(2)
        let tracker = try UDPTracker(
            url: url, eventLoopGroup: MultiThreadedEventLoopGroup.singleton, settings: settings, logger: Fixtures.logger
        )
        let request = try Fixtures.request()
        do throws(TrackerClientError) {
            _ = try await tracker.announce(request)
            Issue.record("announce to a closed port succeeded")
        } catch {
            // Loopback reports the closed port (ICMP) at once: the error is the network's, not a time-out
            // after the retransmissions. (No clock check: a loaded CI machine is slow for its own reasons.)
            guard case .network = error else {
                Issue.record("expected a network error, got \(error)")
                return
            }
        }
    }
}
