import TestSupport
import Testing
import TorrentModel

@testable import DHT

@Suite("the DHT peer store")
struct PeerStoreTests {
    static let infoHash = Fixtures.infoHash
    static let other = InfoHash(bytes: Array(repeating: 3, count: 20))!

    static func peer(_ n: Int, port: UInt16 = 6881) -> DHTEndpoint {
        .ipv4(10, UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF), port: port)
    }

    @Test func announcedPeersAreReturnedUntilTheyExpire() {
        var store = PeerStore()
        var random = SeededRandom(seed: 1)
        #expect(store.announce(Self.peer(1), seed: false, for: Self.infoHash, now: 0) == .added)
        #expect(store.announce(Self.peer(2), seed: true, for: Self.infoHash, now: 100) == .added)
        #expect(store.announce(Self.peer(1), seed: false, for: Self.infoHash, now: 200) == .renewed)
        #expect(store.peerCount == 2 && store.infoHashCount == 1)
        #expect(
            Set(store.peers(for: Self.infoHash, family: .ipv4, now: 300, using: &random)) == [
                Self.peer(1), Self.peer(2),
            ])
        #expect(store.counts(for: Self.infoHash, now: 300) == (seeds: 1, others: 1))
        #expect(store.peers(for: Self.other, family: .ipv4, now: 300, using: &random).isEmpty)
        #expect(store.peers(for: Self.infoHash, family: .ipv6, now: 300, using: &random).isEmpty)
        // Peer 2 expires 30 minutes after its announce; peer 1 was renewed.
        #expect(store.peers(for: Self.infoHash, family: .ipv4, now: 1_900, using: &random) == [Self.peer(1)])
        store.expire(now: 1_900)
        #expect(store.peerCount == 1)
        store.expire(now: 2_000)
        #expect(store.peerCount == 0 && store.infoHashCount == 0)
    }

    @Test func samplesAreRandomAndCapped() {
        var store = PeerStore()
        var random = SeededRandom(seed: 2)
        for n in 0..<400 { _ = store.announce(Self.peer(n), seed: false, for: Self.infoHash, now: 0) }
        var seen: Set<DHTEndpoint> = []
        for _ in 0..<50 {
            let sample = store.peers(for: Self.infoHash, family: .ipv4, maximum: 1_000, now: 1, using: &random)
            #expect(sample.count == DHTLimits.maximumValuesPerResponse)
            #expect(Set(sample).count == sample.count)
            seen.formUnion(sample)
        }
        #expect(seen.count > 390, "every peer gets shown")
        #expect(store.peers(for: Self.infoHash, family: .ipv4, maximum: 5, now: 1, using: &random).count == 5)
        #expect(store.peers(for: Self.infoHash, family: .ipv4, maximum: -1, now: 1, using: &random).isEmpty)
    }

    @Test func perInfoHashLimitReplacesTheStalest() {
        var store = PeerStore(settings: .init(maximumPeersPerInfoHash: 3))
        var random = SeededRandom(seed: 3)
        for n in 0..<3 { _ = store.announce(Self.peer(n), seed: false, for: Self.infoHash, now: Double(n)) }
        #expect(store.announce(Self.peer(9), seed: false, for: Self.infoHash, now: 10) == .replacedOldest)
        #expect(
            Set(store.peers(for: Self.infoHash, family: .ipv4, now: 11, using: &random))
                == [Self.peer(1), Self.peer(2), Self.peer(9)])
        #expect(store.peerCount == 3)
    }

    @Test func infoHashAndTotalLimitsRefuseWhenFullOfLivePeers() {
        var store = PeerStore(settings: .init(maximumInfoHashes: 2, maximumPeers: 3))
        let hashes = (1...3).map { InfoHash(bytes: Array(repeating: UInt8($0), count: 20))! }
        #expect(store.announce(Self.peer(1), seed: false, for: hashes[0], now: 0) == .added)
        #expect(store.announce(Self.peer(2), seed: false, for: hashes[1], now: 0) == .added)
        #expect(store.announce(Self.peer(3), seed: false, for: hashes[2], now: 0) == .refused)
        #expect(store.announce(Self.peer(3), seed: false, for: hashes[1], now: 0) == .added)
        #expect(store.announce(Self.peer(4), seed: false, for: hashes[1], now: 0) == .refused)
        #expect(store.peerCount == 3 && store.infoHashCount == 2)
        // Once they expire, there is room again.
        #expect(store.announce(Self.peer(5), seed: false, for: hashes[2], now: 10_000) == .added)
        #expect(store.peerCount == 1 && store.infoHashCount == 1)
    }

    @Test func aFloodOfAnnouncesStaysBounded() {
        var store = PeerStore(settings: .init(maximumPeersPerInfoHash: 50, maximumInfoHashes: 20, maximumPeers: 500))
        var random = SeededRandom(seed: 4)
        for n in 0..<20_000 {
            let infoHash = InfoHash(bytes: random.bytes(count: 20))!
            _ = store.announce(
                Self.peer(n), seed: false, for: n % 2 == 0 ? Self.infoHash : infoHash, now: Double(n) / 100)
        }
        #expect(store.infoHashCount <= 20)
        #expect(store.peerCount <= 500)
        #expect(store.peers(for: Self.infoHash, family: .ipv4, now: 200, using: &random).count <= 50)
    }
}
