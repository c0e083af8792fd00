import LocalDiscovery
import TestSupport
import Testing
import TorrentModel

@Suite("the LSD schedule and reception")
struct LSDStateTests {
    static let a = Fixtures.infoHash(0xA1)
    static let b = Fixtures.infoHash(0xB2)
    static let c = Fixtures.infoHash(0xC3)

    /// `nextAnnouncement` outside `#expect`, which cannot take a mutating call.
    func next(_ state: inout LSDState, at now: Double) -> LSDAnnouncement? {
        state.nextAnnouncement(now: now)
    }

    func receive(
        _ state: inout LSDState, _ announcement: LSDAnnouncement, from source: String, at now: Double
    )
        -> LSDReception
    {
        state.receive(announcement, from: source, now: now)
    }

    @Test func aTorrentIsAnnouncedWhenAddedThenEveryInterval() {
        var state = LSDState(cookie: "c00c1e", now: 0)
        #expect(next(&state, at: 0) == nil)
        #expect(state.nextAnnouncementTime == nil)
        state.announce(Self.a, port: 6881, now: 10)
        #expect(state.nextAnnouncementTime == 10)
        #expect(next(&state, at: 10) == LSDAnnouncement(port: 6881, infoHashes: [Self.a], cookie: "c00c1e"))
        #expect(next(&state, at: 11) == nil)
        #expect(state.nextAnnouncementTime == 10 + LSDLimits.announceInterval)
        #expect(next(&state, at: 10 + LSDLimits.announceInterval - 0.001) == nil)
        #expect(next(&state, at: 10 + LSDLimits.announceInterval)?.infoHashes == [Self.a])
        #expect(next(&state, at: 10 + 2 * LSDLimits.announceInterval)?.infoHashes == [Self.a])
    }

    @Test func atMostOnePacketPerSendInterval() {
        var state = LSDState(settings: .init(earlyWindow: 0), cookie: "1", now: 0)
        state.announce(Self.a, port: 1, now: 0)
        state.announce(Self.b, port: 2, now: 0)
        state.announce(Self.c, port: 3, now: 0)
        // Three ports, three packets, one a second whatever the caller's tick.
        var sent: [(Double, LSDAnnouncement)] = []
        for tick in 0..<40 {
            let now = Double(tick) * 0.1
            if let announcement = next(&state, at: now) { sent.append((now, announcement)) }
        }
        #expect(sent.map(\.0) == [0, 1, 2])
        #expect(Set(sent.map(\.1.port)) == [1, 2, 3])
        #expect(sent.allSatisfy { $0.1.infoHashes.count == 1 })
    }

    @Test func torrentsDueTogetherShareAPacketUpToTheLimit() {
        var state = LSDState(cookie: "1", now: 0)
        let hashes = (0..<45).map(Fixtures.infoHash(number:))
        for hash in hashes { state.announce(hash, port: 6881, now: 0) }
        let first = next(&state, at: 0)
        #expect(next(&state, at: 0.5) == nil)
        let second = next(&state, at: 1)
        let third = next(&state, at: 2)
        #expect(next(&state, at: 3) == nil)
        #expect(first?.infoHashes.count == 20)
        #expect(second?.infoHashes.count == 20)
        #expect(third?.infoHashes.count == 5)
        let all = (first?.infoHashes ?? []) + (second?.infoHashes ?? []) + (third?.infoHashes ?? [])
        #expect(Set(all) == Set(hashes))
        #expect(all.count == 45)
    }

    @Test func aPacketCarriesOnePortAndTheMostOverdueFirst() {
        var state = LSDState(settings: .init(earlyWindow: 0), cookie: "1", now: 0)
        state.announce(Self.b, port: 2, now: 5)
        state.announce(Self.a, port: 1, now: 3)
        state.announce(Self.c, port: 1, now: 4)
        #expect(next(&state, at: 10) == LSDAnnouncement(port: 1, infoHashes: [Self.a, Self.c], cookie: "1"))
        #expect(next(&state, at: 11) == LSDAnnouncement(port: 2, infoHashes: [Self.b], cookie: "1"))
    }

    @Test func torrentsDueSoonRideAlongSoSchedulesConverge() {
        // The default window is a tenth of the interval: 30 s.
        var state = LSDState(cookie: "1", now: 0)
        state.announce(Self.a, port: 1, now: 0)
        #expect(next(&state, at: 0)?.infoHashes == [Self.a])
        state.announce(Self.b, port: 1, now: 280)
        // b is due at 280 and takes a (due at 300, within 30 s) along; from then on they travel together.
        #expect(next(&state, at: 280)?.infoHashes == [Self.b, Self.a])
        #expect(next(&state, at: 300) == nil)
        #expect(next(&state, at: 580)?.infoHashes == [Self.a, Self.b])
        // One due later than the window waits for its own time.
        state.announce(Self.c, port: 1, now: 600)
        #expect(next(&state, at: 600)?.infoHashes == [Self.c])
        #expect(state.nextAnnouncementTime == 880)
    }

    @Test func withdrawingAndChangingPorts() {
        var state = LSDState(cookie: "1", now: 0)
        state.announce(Self.a, port: 1, now: 0)
        #expect(state.isAnnouncing(Self.a))
        #expect(next(&state, at: 0)?.port == 1)
        // The same port again keeps the schedule; another port is due at once with it.
        state.announce(Self.a, port: 1, now: 5)
        #expect(next(&state, at: 5) == nil)
        state.announce(Self.a, port: 2, now: 6)
        #expect(next(&state, at: 6)?.port == 2)
        // Port 0 cannot be announced: ignored, the old port stays.
        state.announce(Self.a, port: 0, now: 7)
        #expect(state.torrents[Self.a]?.port == 2)
        state.announce(Self.b, port: 0, now: 7)
        #expect(!state.isAnnouncing(Self.b))
        state.withdraw(Self.a)
        #expect(!state.isAnnouncing(Self.a))
        #expect(next(&state, at: 1_000) == nil)
        #expect(state.nextAnnouncementTime == nil)
        #expect(state.torrents.isEmpty)
    }

    @Test func theCookieIsRandomFromTheGenerator() {
        var random = SeededRandom(seed: 1)
        var again = SeededRandom(seed: 1)
        let one = LSDState(now: 0, using: &random)
        let same = LSDState(now: 0, using: &again)
        let other = LSDState(now: 0, using: &random)
        #expect(one.cookie == same.cookie)
        #expect(one.cookie != other.cookie)
        for state in [one, other] {
            #expect((1...8).contains(state.cookie.count))
            #expect(state.cookie.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        }
    }

    @Test func ourOwnPacketsAreRecognised() {
        var state = LSDState(cookie: "beef", now: 0)
        state.announce(Self.a, port: 6881, now: 0)
        let ours = next(&state, at: 0)!
        #expect(receive(&state, ours, from: "192.168.1.5", at: 0.01) == LSDReception(isOwn: true))
        // Round trip through the wire format too.
        let looped = Fixtures.decode(ours.encoded())!
        #expect(receive(&state, looped, from: "192.168.1.5", at: 0.02).isOwn)
    }

    @Test func onlyOurTorrentsAreReportedWithTheSourceAddressAndAnnouncedPort() {
        var state = LSDState(cookie: "beef", now: 0)
        state.announce(Self.a, port: 6881, now: 0)
        state.announce(Self.b, port: 6881, now: 0)
        let theirs = LSDAnnouncement(port: 51413, infoHashes: [Self.a, Self.c, Self.b], cookie: "other")
        let reception = receive(&state, theirs, from: "192.168.1.7", at: 1)
        #expect(
            reception.discoveries == [
                LSDDiscovery(infoHash: Self.a, peer: PeerAddress(host: "192.168.1.7", port: 51413)),
                LSDDiscovery(infoHash: Self.b, peer: PeerAddress(host: "192.168.1.7", port: 51413)),
            ])
        #expect(reception.notOurs == 1)
        #expect(!reception.isOwn)
        // Transmission sends no cookie at all.
        let noCookie = LSDAnnouncement(port: 51413, infoHashes: [Self.a])
        #expect(receive(&state, noCookie, from: "192.168.1.8", at: 1).discoveries.count == 1)
        // A withdrawn torrent is no longer ours.
        state.withdraw(Self.a)
        #expect(receive(&state, noCookie, from: "192.168.1.9", at: 1).notOurs == 1)
    }

    @Test func repeatedAnnouncementsAreReportedOncePerMinutePerSource() {
        var state = LSDState(cookie: "beef", now: 0)
        state.announce(Self.a, port: 6881, now: 0)
        let theirs = LSDAnnouncement(port: 51413, infoHashes: [Self.a], cookie: "x")
        var reported = 0
        var limited = 0
        for tick in 0..<600 {
            let reception = receive(&state, theirs, from: "10.0.0.2", at: Double(tick) * 0.1)
            reported += reception.discoveries.count
            limited += reception.rateLimited
        }
        #expect(reported == 1)
        #expect(limited == 599)
        // Another port from the same address is the same source.
        let otherPort = LSDAnnouncement(port: 1, infoHashes: [Self.a])
        #expect(receive(&state, otherPort, from: "10.0.0.2", at: 59).rateLimited == 1)
        #expect(receive(&state, theirs, from: "10.0.0.2", at: 60).discoveries.count == 1)
        #expect(receive(&state, theirs, from: "10.0.0.3", at: 60).discoveries.count == 1)
    }

    @Test func settingsAreClampedToTheCodecLimit() {
        #expect(LSDState.Settings(maximumInfoHashesPerPacket: 500).maximumInfoHashesPerPacket == 20)
        #expect(LSDState.Settings(maximumInfoHashesPerPacket: 0).maximumInfoHashesPerPacket == 1)
        #expect(LSDState.Settings(announceInterval: 60).earlyWindow == 6)
    }
}
