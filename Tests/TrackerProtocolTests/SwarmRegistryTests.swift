import TestSupport
import Testing
import TorrentModel

@testable import TrackerProtocol

@Suite("the tracker's swarm registry")
struct SwarmRegistryTests {
    static let infoHash = InfoHash(bytes: Array(repeating: 7, count: 20))!
    static let other = InfoHash(bytes: Array(repeating: 9, count: 20))!

    static func settings(
        timeout: UInt32 = 100, minimumInterval: UInt32 = 10, swarms: Int = 1000, peers: Int = 1000
    ) -> SwarmRegistry.Settings {
        SwarmRegistry.Settings(
            peerTimeout: timeout, minimumInterval: minimumInterval, maximumSwarms: swarms, maximumPeersPerSwarm: peers)
    }

    static func address(_ host: UInt8, port: UInt16 = 6881) -> TrackerPeerAddress {
        TrackerPeerAddress(addressBytes: [10, 0, 0, host], port: port)!
    }

    static func announce(
        _ host: UInt8, seed: Bool = false, event: AnnounceEvent = .none, numWant: Int = 50,
        infoHash: InfoHash = infoHash
    ) -> RegistryAnnounce {
        RegistryAnnounce(
            infoHash: infoHash, peerID: TrackerPeerID(Array(repeating: host, count: 20))!, address: address(host),
            isSeed: seed, event: event, numWant: numWant)
    }

    static func answer(_ outcome: SwarmRegistry.Outcome) throws -> RegistryAnswer {
        guard case .answered(let answer) = outcome else {
            Issue.record("refused: \(outcome)")
            throw CancellationError()
        }
        return answer
    }

    @Test func answersWithTheOtherPeersAndCountsSeedersAndLeechers() throws {
        var registry = SwarmRegistry(settings: Self.settings())
        var random = SeededRandom(seed: 1)
        _ = registry.announce(Self.announce(1, event: .started), now: 0, using: &random)
        _ = registry.announce(Self.announce(2, seed: true, event: .started), now: 0, using: &random)
        let answer = try Self.answer(registry.announce(Self.announce(3, event: .started), now: 1, using: &random))
        #expect(Set(answer.peers.map(\.address)) == [Self.address(1), Self.address(2)])
        #expect(answer.stats == ScrapeStats(complete: 1, downloaded: 0, incomplete: 2))
        #expect(registry.peerCount == 3 && registry.seederCount == 1 && registry.leecherCount == 2)
        #expect(registry.swarmCount == 1)
    }

    @Test func capsTheAnswerAtNumWantAndSamplesAtRandom() throws {
        var registry = SwarmRegistry(settings: Self.settings())
        var random = SeededRandom(seed: 2)
        for host in 1...100 { _ = registry.announce(Self.announce(UInt8(host)), now: 0, using: &random) }
        var seen: Set<TrackerPeerAddress> = []
        for _ in 0..<50 {
            let answer = try Self.answer(registry.announce(Self.announce(1, numWant: 10), now: 0, using: &random))
            #expect(answer.peers.count == 10)
            #expect(!answer.peers.contains { $0.address == Self.address(1) })
            seen.formUnion(answer.peers.map(\.address))
        }
        // Fifty random windows of ten cover far more than one window would.
        #expect(seen.count > 60)
    }

    @Test func aSeedIsShownOnlyLeechers() throws {
        var registry = SwarmRegistry(settings: Self.settings())
        var random = SeededRandom(seed: 3)
        for host in 1...5 { _ = registry.announce(Self.announce(UInt8(host), seed: host <= 3), now: 0, using: &random) }
        let answer = try Self.answer(registry.announce(Self.announce(1, seed: true), now: 0, using: &random))
        #expect(Set(answer.peers.map(\.address)) == [Self.address(4), Self.address(5)])
    }

    @Test func stoppedRemovesThePeerAndAStopForAnUnknownSwarmCreatesNothing() throws {
        var registry = SwarmRegistry(settings: Self.settings())
        var random = SeededRandom(seed: 4)
        _ = registry.announce(Self.announce(1), now: 0, using: &random)
        _ = registry.announce(Self.announce(2, seed: true), now: 0, using: &random)
        let stopped = try Self.answer(
            registry.announce(Self.announce(2, seed: true, event: .stopped), now: 1, using: &random))
        #expect(stopped.peers.isEmpty)
        #expect(stopped.stats == ScrapeStats(complete: 0, downloaded: 0, incomplete: 1))
        #expect(registry.peerCount == 1 && registry.seederCount == 0)
        _ = registry.announce(Self.announce(1, event: .stopped, infoHash: Self.other), now: 1, using: &random)
        #expect(registry.swarmCount == 1)
        _ = registry.announce(Self.announce(1, event: .stopped), now: 1, using: &random)
        #expect(registry.swarmCount == 0 && registry.peerCount == 0)
    }

    @Test func aDownloadCountsOnceAndIsReportedForSaving() throws {
        var registry = SwarmRegistry(settings: Self.settings())
        var random = SeededRandom(seed: 5)
        _ = registry.announce(Self.announce(1, event: .started), now: 0, using: &random)
        _ = registry.announce(Self.announce(1, seed: true, event: .completed), now: 1, using: &random)
        // The same seed saying `completed` again is not a second download.
        let again = try Self.answer(
            registry.announce(Self.announce(1, seed: true, event: .completed), now: 2, using: &random))
        #expect(again.stats.downloaded == 1)
        #expect(registry.completedDownloads == 1)
        let changed = registry.takeChangedCompletedCounts()
        let changedAgain = registry.takeChangedCompletedCounts()
        #expect(changed == [Self.infoHash: 1] && changedAgain.isEmpty)
        _ = registry.announce(Self.announce(2, seed: true, event: .completed), now: 3, using: &random)
        let afterSecond = registry.takeChangedCompletedCounts()
        #expect(afterSecond == [Self.infoHash: 2])
    }

    @Test func silentPeersExpireAndSwarmsWithDownloadsStay() throws {
        var registry = SwarmRegistry(settings: Self.settings(timeout: 100))
        var random = SeededRandom(seed: 6)
        _ = registry.announce(Self.announce(1, seed: true, event: .completed), now: 0, using: &random)
        _ = registry.announce(Self.announce(2), now: 0, using: &random)
        _ = registry.announce(Self.announce(3, infoHash: Self.other), now: 0, using: &random)
        _ = registry.announce(Self.announce(2), now: 60, using: &random)
        let early = registry.expire(now: 99)
        let late = registry.expire(now: 120)
        #expect(early == 0 && late == 2)
        #expect(registry.peerCount == 1 && registry.seederCount == 0)
        // `other` had no downloads and no peers left: gone. `infoHash` keeps its completed count.
        #expect(registry.swarmCount == 1)
        #expect(registry.stats(for: Self.infoHash) == ScrapeStats(complete: 0, downloaded: 1, incomplete: 1))
        #expect(registry.stats(for: Self.other) == ScrapeStats(complete: 0, downloaded: 0, incomplete: 0))
    }

    @Test func restoredCountsShowInScrapes() {
        var registry = SwarmRegistry(settings: Self.settings())
        registry.restoreCompleted([Self.infoHash: 41, Self.other: 0])
        #expect(registry.stats(for: Self.infoHash).downloaded == 41)
        #expect(registry.swarmCount == 1)
    }

    @Test func theSwarmTableIsBoundedAndSoIsEachSwarm() throws {
        var registry = SwarmRegistry(settings: Self.settings(swarms: 1, peers: 2))
        var random = SeededRandom(seed: 7)
        for host in 1...3 { _ = registry.announce(Self.announce(UInt8(host)), now: 0, using: &random) }
        #expect(registry.peerCount == 2)
        // The third peer was answered but not remembered.
        let fourth = try Self.answer(registry.announce(Self.announce(4), now: 0, using: &random))
        #expect(fourth.peers.count == 2)
        guard
            case .refused(let reason) = registry.announce(
                Self.announce(1, infoHash: Self.other), now: 0, using: &random)
        else {
            Issue.record("a second swarm was accepted past the limit")
            return
        }
        #expect(reason.contains("full"))
    }

    @Test func aReannounceSoonerThanTheMinimumIntervalIsFlagged() throws {
        var registry = SwarmRegistry(settings: Self.settings(minimumInterval: 10))
        var random = SeededRandom(seed: 8)
        _ = registry.announce(Self.announce(1, event: .started), now: 0, using: &random)
        #expect(try Self.answer(registry.announce(Self.announce(1), now: 5, using: &random)).announcedTooSoon)
        #expect(!(try Self.answer(registry.announce(Self.announce(1), now: 16, using: &random)).announcedTooSoon))
        #expect(
            !(try Self.answer(
                registry.announce(Self.announce(1, seed: true, event: .completed), now: 17, using: &random)
            ).announcedTooSoon))
    }

    @Test func aPeerIsKeyedByAddressAndPortWithMappedIPv4Folded() {
        let mapped = TrackerPeerAddress(
            addressBytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 10, 0, 0, 1], port: 6881)
        #expect(mapped == Self.address(1))
        #expect(mapped?.family == .ipv4)
        let v6 = TrackerPeerAddress(
            addressBytes: [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [1], port: 80)!
        #expect(v6.family == .ipv6)
        #expect(v6.description == "[2001:db8::1]:80")
        var compact: [UInt8] = []
        v6.appendCompact(to: &compact)
        #expect(compact.count == 18 && compact.suffix(2) == [0, 80])
        #expect(TrackerPeerAddress(addressBytes: [1, 2, 3], port: 1) == nil)
    }
}
