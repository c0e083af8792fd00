import DHT
import Testing

@Suite struct DHTAnnounceScheduleTests {
    @Test func aSuccessfulAnnounceWaitsTheIntervalAndFailuresBackOffUpToTheMaximum() {
        var schedule = DHTAnnounceSchedule()
        for expected: Double in [1, 2, 4, 8, 16, 32, 60, 60] {
            #expect(schedule.delay(after: .announced(acknowledged: 0)) == expected)
        }
        #expect(schedule.delay(after: .announced(acknowledged: 8)) == 15 * 60)
        // A success resets the back-off.
        #expect(schedule.delay(after: .announced(acknowledged: 0)) == 1)
    }

    /// A newcomer's first lookup can stop short of the closest nodes; an announce that one of them took is
    /// retried like a failure, so a searcher that asks the true closest finds it within a minute, not 15.
    @Test func anAnnounceThatFewNodesTookIsRetriedSoon() {
        var schedule = DHTAnnounceSchedule()
        #expect(schedule.delay(after: .announced(acknowledged: 1)) == 1)
        #expect(schedule.delay(after: .announced(acknowledged: 7)) == 2)
        #expect(schedule.delay(after: .announced(acknowledged: 9)) == 15 * 60)
        var small = DHTAnnounceSchedule(settings: .init(wellAnnouncedNodes: 3))
        #expect(small.delay(after: .announced(acknowledged: 2)) == 1)
        #expect(small.delay(after: .announced(acknowledged: 3)) == 15 * 60)
    }

    @Test func searchesWithoutAnnounceRepeatOftenOnceTheyFindPeers() {
        var schedule = DHTAnnounceSchedule(
            settings: .init(announceInterval: 900, searchInterval: 30, firstRetryDelay: 2, maximumRetryDelay: 7))
        #expect(schedule.delay(after: .searched(peers: 0)) == 2)
        #expect(schedule.delay(after: .searched(peers: 0)) == 4)
        #expect(schedule.delay(after: .searched(peers: 0)) == 7)
        #expect(schedule.delay(after: .searched(peers: 4)) == 30)
        #expect(schedule.delay(after: .searched(peers: 0)) == 2)
    }
}
