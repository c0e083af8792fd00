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
                let started = ContinuousClock.now
                group.addTask { await announcer.run(onPeers: { _ in }) }
                // The first round, however late a loaded machine runs it; then two seconds of back-off.
                while announcer.status.rounds == 0 { try await Task.sleep(for: .milliseconds(20)) }
                try await Task.sleep(for: .seconds(2))
                let rounds = announcer.status.rounds
                let elapsed = (ContinuousClock.now - started) / .seconds(1)
                // Back to back, an empty table's rounds take microseconds: thousands in 2 s. With the back-off,
                // at most one more than the sleeps that fit (0.2 + 0.4 + 0.8 + 1.6 + 1.6 ... s), however late
                // a loaded machine wakes the test.
                let sleepsThatFit = Int(max(0, elapsed - 0.2) / 0.4) + 2
                #expect(rounds >= 1 && rounds <= sleepsThatFit, "\(rounds) rounds in \(elapsed) s")
                // A stop ends the sleep: run() returns (within the suite's time limit, not a tight bound).
                announcer.stop()
                try await group.next()
                #expect(announcer.status.rounds <= rounds + 1)
            }
        }
    }
}
