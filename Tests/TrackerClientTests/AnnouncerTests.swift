import TestSupport
import Testing
import TorrentModel
import TrackerProtocol

@testable import TrackerClient

@Suite("Announcer: events, intervals, tiers")
struct AnnouncerTests {
    private let peerA = Fixtures.peer("10.0.0.1", 6881)
    private let peerB = Fixtures.peer("10.0.0.2", 6882)

    private var settings: TrackerClientSettings {
        var settings = TrackerClientSettings()
        settings.numWant = 33
        settings.minimumAnnounceInterval = .seconds(60)
        settings.maximumAnnounceInterval = .seconds(7200)
        settings.failureRetryDelay = .seconds(30)
        settings.maximumFailureRetryDelay = .seconds(100)
        settings.stoppedAnnounceTimeout = .seconds(5)
        return settings
    }

    private func makeAnnouncer(
        _ tiers: [[FakeTracker]], clock: TestClock, settings: TrackerClientSettings? = nil
    ) throws -> Announcer<TestClock> {
        try Announcer(
            infoHash: Fixtures.infoHash, peerID: Fixtures.peerID, port: 6881, key: 0xABCD,
            trackers: TrackerTierList(orderedTiers: tiers.map { $0.map { $0 as any Tracker } }),
            settings: settings ?? self.settings, clock: clock, logger: Fixtures.logger)
    }

    /// Runs the announcer's loop beside `body`, then waits for the loop to end.
    private func running(
        _ announcer: Announcer<TestClock>, progress: Locked<AnnounceProgress>,
        peers: Locked<[[PeerEndpoint]]> = Locked([]), cancelAtEnd: Bool = false,
        _ body: () async throws -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await announcer.run(
                    progress: { progress.current }, onPeers: { list in peers.withLock { $0.append(list) } })
            }
            do {
                try await body()
            } catch {
                group.cancelAll()
                throw error
            }
            if cancelAtEnd { group.cancelAll() }
            try await group.waitForAll()
        }
    }

    /// Waits until the loop sleeps on the test clock, i.e. has finished what it was doing.
    private func settled(_ clock: TestClock, sleepers: Int = 1) async throws {
        try await eventually("the announcer to sleep") { clock.sleeperCount >= sleepers }
    }

    @Test func startedThenRegularThenCompletedThenStopped() async throws {
        let clock = TestClock()
        let tracker = FakeTracker(
            url: "http://a/announce",
            mode: .reply(AnnounceResponse(interval: 1800, minInterval: 900, trackerID: [7], peers: [peerA])))
        let announcer = try makeAnnouncer([[tracker]], clock: clock)
        let progress = Locked(AnnounceProgress(uploaded: 0, downloaded: 0, left: 1000))
        let peers = Locked<[[PeerEndpoint]]>([])
        try await running(announcer, progress: progress, peers: peers) {
            try await eventually("started") { await tracker.requests.count == 1 }
            try await settled(clock)
            #expect(await announcer.nextAnnounce == clock.now.advanced(by: .seconds(1800)))
            #expect(await announcer.peers == [peerA])

            clock.advance(by: .seconds(1799))
            try await Task.sleep(for: .milliseconds(30))
            #expect(await tracker.requests.count == 1)
            progress.withLock { $0 = AnnounceProgress(uploaded: 10, downloaded: 500, left: 500) }
            clock.advance(by: .seconds(1))
            try await eventually("regular announce") { await tracker.requests.count == 2 }
            try await settled(clock)

            progress.withLock { $0 = AnnounceProgress(uploaded: 20, downloaded: 1000, left: 0) }
            announcer.markCompleted()
            try await eventually("completed") { await tracker.requests.count == 3 }
            try await settled(clock)
            announcer.stop()
        }
        let requests = await tracker.requests
        #expect(requests.map(\.event) == [.started, .none, .completed, .stopped])
        #expect(requests.map(\.left) == [1000, 500, 0, 0])
        #expect(requests.map(\.downloaded) == [0, 500, 1000, 1000])
        #expect(requests.map(\.uploaded) == [0, 10, 20, 20])
        // The tracker id comes back once given; the key stays; stopped wants no peers.
        #expect(requests.map(\.trackerID) == [nil, [7], [7], [7]])
        #expect(requests.allSatisfy { $0.key == 0xABCD && $0.port == 6881 && $0.infoHash == Fixtures.infoHash })
        #expect(requests.map(\.numWant) == [33, 33, 33, 0])
        #expect(peers.current == [[peerA], [peerA], [peerA]])
        let status = try #require(await announcer.trackerStatuses.first)
        #expect(status.state == .working && status.lastError == nil && status.lastPeerCount == 1)
    }

    @Test func clampsIntervalsAndHonoursMinInterval() async throws {
        let clock = TestClock()
        let tracker = FakeTracker(url: "http://a/announce", mode: .reply(AnnounceResponse(interval: 5)))
        let announcer = try makeAnnouncer([[tracker]], clock: clock)
        let progress = Locked(AnnounceProgress(uploaded: 0, downloaded: 0, left: 1))
        try await running(announcer, progress: progress) {
            try await eventually("started") { await tracker.requests.count == 1 }
            try await settled(clock)
            // 5 s is below the 60 s floor.
            #expect(await announcer.nextAnnounce == clock.now.advanced(by: .seconds(60)))

            await tracker.set(.reply(AnnounceResponse(interval: 100_000, minInterval: 120)))
            clock.advance(by: .seconds(60))
            try await eventually("second announce") { await tracker.requests.count == 2 }
            try await settled(clock)
            // 100 000 s is above the 2 h ceiling.
            let second = clock.now
            #expect(await announcer.nextAnnounce == second.advanced(by: .seconds(7200)))

            // Asking for peers at once waits for the tracker's 120 s min interval.
            announcer.announceNow()
            try await eventually("min interval wait") {
                await announcer.nextAnnounce == second.advanced(by: .seconds(120))
            }
            try await settled(clock)
            #expect(await tracker.requests.count == 2)
            clock.advance(by: .seconds(120))
            try await eventually("early announce") { await tracker.requests.count == 3 }
            try await settled(clock)
            #expect(await tracker.events == [.started, .none, .none])
            announcer.stop()
        }
    }

    @Test func walksTiersAndPromotesTheTrackerThatAnswers() async throws {
        let clock = TestClock()
        let a = FakeTracker(url: "http://a/announce", mode: .fail(.trackerFailure("go away")))
        let b = FakeTracker(
            url: "udp://b:1/announce",
            mode: .reply(AnnounceResponse(interval: 600, complete: 4, incomplete: 5, peers: [peerA])))
        let c = FakeTracker(
            url: "http://c/announce", mode: .reply(AnnounceResponse(interval: 600, peers: [peerB], warning: "be nice")))
        let announcer = try makeAnnouncer([[a, b], [c]], clock: clock)
        let progress = Locked(AnnounceProgress(uploaded: 0, downloaded: 0, left: 1))
        let peers = Locked<[[PeerEndpoint]]>([])
        try await running(announcer, progress: progress, peers: peers) {
            try await eventually("first round") { await b.requests.count == 1 }
            try await settled(clock)
            #expect(await a.events == [.started])
            #expect(await c.requests.isEmpty)
            var statuses = await announcer.trackerStatuses
            // b answered, so it now comes first in its tier.
            #expect(statuses.map(\.url) == ["udp://b:1/announce", "http://a/announce", "http://c/announce"])
            #expect(statuses.map(\.state) == [.working, .failing, .notContacted])
            #expect(statuses[1].lastError == "tracker refused: go away")
            #expect(statuses[0].seeders == 4 && statuses[0].leechers == 5)
            #expect(statuses.map(\.tier) == [0, 0, 1])

            clock.advance(by: .seconds(600))
            try await eventually("second round") { await b.requests.count == 2 }
            try await settled(clock)
            #expect(await a.requests.count == 1)

            // The whole first tier fails: the second tier is tried, and is told `started`.
            await b.set(.fail(.timedOut))
            clock.advance(by: .seconds(600))
            try await eventually("third round") { await c.requests.count == 1 }
            try await settled(clock)
            #expect(await b.events == [.started, .none, .none])
            #expect(await a.events == [.started, .started])
            #expect(await c.events == [.started])
            statuses = await announcer.trackerStatuses
            #expect(statuses.map(\.state) == [.failing, .failing, .working])
            #expect(statuses[0].lastError == "tracker did not answer in time")
            #expect(statuses[2].lastWarning == "be nice")
            #expect(await announcer.peers == [peerB])
            announcer.stop()
        }
        // `stopped` goes to the trackers that accepted `started`, not to a.
        #expect(await b.events.last == .stopped)
        #expect(await c.events.last == .stopped)
        #expect(await a.events == [.started, .started])
        #expect(peers.current == [[peerA], [peerA], [peerB]])
    }

    @Test func backsOffWhenEveryTrackerFails() async throws {
        let clock = TestClock()
        let tracker = FakeTracker(url: "http://a/announce", mode: .fail(.httpStatus(502)))
        let announcer = try makeAnnouncer([[tracker]], clock: clock)
        let progress = Locked(AnnounceProgress(uploaded: 0, downloaded: 0, left: 1))
        try await running(announcer, progress: progress) {
            var expectedDelays: [Duration] = [.seconds(30), .seconds(60), .seconds(100), .seconds(100)]
            var count = 1
            while !expectedDelays.isEmpty {
                let attempts = count
                try await eventually("attempt \(attempts)") { await tracker.requests.count == attempts }
                try await settled(clock)
                let delay = expectedDelays.removeFirst()
                #expect(await announcer.nextAnnounce == clock.now.advanced(by: delay))
                clock.advance(by: delay)
                count += 1
            }
            try await eventually("last attempt") { await tracker.requests.count == 5 }
            try await settled(clock)
            // Never started, so every attempt is a `started`.
            #expect(await tracker.events == Array(repeating: .started, count: 5))
            let status = try #require(await announcer.trackerStatuses.first)
            #expect(status.consecutiveFailures == 5)
            #expect(status.lastError == "tracker answered HTTP 502")
            announcer.stop()
        }
        // Nothing to stop: no tracker accepted `started`.
        #expect(await tracker.requests.count == 5)
    }

    @Test func announceNowDoesNotHammerAFailingList() async throws {
        let clock = TestClock()
        let tracker = FakeTracker(url: "http://a/announce", mode: .fail(.timedOut))
        let announcer = try makeAnnouncer([[tracker]], clock: clock)
        let progress = Locked(AnnounceProgress(uploaded: 0, downloaded: 0, left: 1))
        try await running(announcer, progress: progress) {
            try await eventually("first attempt") { await tracker.requests.count == 1 }
            try await settled(clock)
            let failedAt = clock.now
            for _ in 0..<5 { announcer.announceNow() }
            try await Task.sleep(for: .milliseconds(50))
            try await settled(clock)
            // The 60 s minimum since the last round outlasts the 30 s retry delay, which stays.
            #expect(await tracker.requests.count == 1)
            #expect(await announcer.nextAnnounce == failedAt.advanced(by: .seconds(30)))
            announcer.stop()
        }
    }

    @Test func stopInterruptsAHangingAnnounce() async throws {
        let clock = TestClock()
        let tracker = FakeTracker(url: "http://a/announce", mode: .hang)
        let announcer = try makeAnnouncer([[tracker]], clock: clock)
        let progress = Locked(AnnounceProgress(uploaded: 0, downloaded: 0, left: 1))
        try await running(announcer, progress: progress) {
            try await eventually("started sent") { await tracker.requests.count == 1 }
            announcer.stop()
        }
        #expect(await tracker.events == [.started])
    }

    @Test func stoppedAnnouncesAreBoundedInTime() async throws {
        let clock = TestClock()
        let tracker = FakeTracker(url: "http://a/announce", mode: .reply(AnnounceResponse(interval: 1800)))
        await tracker.setStopped(.hang)
        let announcer = try makeAnnouncer([[tracker]], clock: clock)
        let progress = Locked(AnnounceProgress(uploaded: 0, downloaded: 0, left: 0))
        try await running(announcer, progress: progress) {
            try await eventually("started") { await tracker.requests.count == 1 }
            try await settled(clock)
            announcer.stop()
            try await eventually("stopped sent") { await tracker.requests.count == 2 }
            // The loop now waits on the stopped deadline, 5 s on the test clock.
            try await settled(clock)
            #expect(clock.nextDeadline == clock.now.advanced(by: .seconds(5)))
            clock.advanceToNextDeadline()
        }
        #expect(await tracker.events == [.started, .stopped])
    }

    @Test func cancellationEndsTheLoopWithoutStopped() async throws {
        let clock = TestClock()
        let tracker = FakeTracker(url: "http://a/announce", mode: .reply(AnnounceResponse(interval: 1800)))
        let announcer = try makeAnnouncer([[tracker]], clock: clock)
        let progress = Locked(AnnounceProgress(uploaded: 0, downloaded: 0, left: 1))
        try await running(announcer, progress: progress, cancelAtEnd: true) {
            try await eventually("started") { await tracker.requests.count == 1 }
            try await settled(clock)
        }
        #expect(await tracker.events == [.started])
        #expect(await announcer.nextAnnounce == nil)
    }

    @Test func refusesABadPeerID() {
        #expect(throws: TrackerProtocolError.badPeerIDLength(3)) {
            try Announcer(
                infoHash: Fixtures.infoHash, peerID: [1, 2, 3], port: 1, key: 0,
                trackers: TrackerTierList(orderedTiers: []), clock: TestClock(), logger: Fixtures.logger)
        }
    }
}
