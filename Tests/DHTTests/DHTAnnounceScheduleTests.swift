import DHT
import Testing

@Suite struct DHTAnnounceScheduleTests {
    @Test func aSuccessfulAnnounceWaitsTheIntervalAndFailuresBackOffUpToTheMaximum() {
        var schedule = DHTAnnounceSchedule()
        for expected: Double in [1, 2, 4, 8, 16, 32, 60, 60] {
            #expect(schedule.delay(after: .announced(acknowledged: 0)) == expected)
        }
        #expect(schedule.delay(after: .announced(acknowledged: 3)) == 15 * 60)
        // A success resets the back-off.
        #expect(schedule.delay(after: .announced(acknowledged: 0)) == 1)
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
