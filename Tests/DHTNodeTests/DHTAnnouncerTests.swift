import DHT
import DHTNode
import TestSupport
import Testing
import TorrentModel

@Suite(.timeLimit(.minutes(2))) struct DHTAnnouncerTests {
    /// A node alone finds nobody: the announcer backs off (0.2, 0.4, 0.8, 1.6 s) instead of running
    /// rounds back to back, and `stop()` ends a sleep at once.
    @Test func failedRoundsBackOffAndStopEndsTheSleep() async throws {
        let node = try await LoopbackDHT.node(LoopbackDHT.settings())
        var random = SeededRandom(seed: 3)
        let infoHash = InfoHash(bytes: random.bytes(count: 20))!
        let announcer = DHTAnnouncer(
            node: node, infoHash: infoHash, port: 6881,
            schedule: DHTAnnounceSchedule.Settings(firstRetryDelay: 0.2, maximumRetryDelay: 1.6))
        try await LoopbackDHT.running([node]) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await announcer.run(onPeers: { _ in }) }
                try await Task.sleep(for: .seconds(2))
                let rounds = announcer.status.rounds
                // Back to back, an empty table's rounds take microseconds: thousands in 2 s.
                #expect((2...6).contains(rounds), "\(rounds) rounds in 2 s")
                let stopped = ContinuousClock.now
                announcer.stop()
                try await group.next()
                #expect(ContinuousClock.now - stopped < .seconds(1))
            }
        }
    }
}
