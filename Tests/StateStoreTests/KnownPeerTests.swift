import Foundation
import StateStore
import Testing
import TorrentModel

@Suite("Known peers")
struct KnownPeerTests {
    private func peer(_ host: String, _ port: UInt16 = 6881) -> PeerAddress { PeerAddress(host: host, port: port) }

    @Test("peers come back most recently seen first, with their times")
    func roundTrip() throws {
        let folder = try StoreFolder()
        let store = try folder.open()
        try store.addTorrent(fullRecord(1))
        #expect(try store.knownPeers(for: infoHash(1)).isEmpty)
        try store.rememberPeers([peer("10.0.0.1"), peer("::1", 51413)], for: infoHash(1), seenAt: date(100))
        try store.rememberPeers([peer("example.org", 1)], for: infoHash(1), seenAt: date(200))
        #expect(
            try store.knownPeers(for: infoHash(1)) == [
                KnownPeer(address: peer("example.org", 1), lastSeen: date(200)),
                KnownPeer(address: peer("10.0.0.1"), lastSeen: date(100)),
                KnownPeer(address: peer("::1", 51413), lastSeen: date(100)),
            ])
    }

    @Test("remembering a peer again keeps one row with the later time")
    func upsert() throws {
        let folder = try StoreFolder()
        let store = try folder.open()
        try store.addTorrent(fullRecord(1))
        try store.rememberPeers([peer("10.0.0.1"), peer("10.0.0.1")], for: infoHash(1), seenAt: date(300))
        try store.rememberPeers([peer("10.0.0.1")], for: infoHash(1), seenAt: date(100))
        #expect(try store.knownPeers(for: infoHash(1)) == [KnownPeer(address: peer("10.0.0.1"), lastSeen: date(300))])
        try store.rememberPeers([peer("10.0.0.1")], for: infoHash(1), seenAt: date(400))
        #expect(try store.knownPeers(for: infoHash(1)) == [KnownPeer(address: peer("10.0.0.1"), lastSeen: date(400))])
        // Same host, other port: another peer.
        try store.rememberPeers([peer("10.0.0.1", 6882)], for: infoHash(1), seenAt: date(50))
        #expect(try store.knownPeers(for: infoHash(1)).count == 2)
    }

    @Test("at most the limit is kept, and the ones seen longest ago go first")
    func capped() throws {
        let folder = try StoreFolder()
        let store = try folder.open()
        try store.addTorrent(fullRecord(1))
        try store.addTorrent(fullRecord(2))
        for index in 0..<10 {
            try store.rememberPeers(
                [peer("10.0.0.\(index)")], for: infoHash(1), seenAt: date(1_000 + index), limit: 4)
        }
        try store.rememberPeers([peer("10.9.9.9")], for: infoHash(2), seenAt: date(1), limit: 4)
        let kept = try store.knownPeers(for: infoHash(1))
        #expect(kept.map(\.address.host) == ["10.0.0.9", "10.0.0.8", "10.0.0.7", "10.0.0.6"])
        #expect(kept.map(\.lastSeen) == [date(1_009), date(1_008), date(1_007), date(1_006)])
        // The other torrent's peers are counted apart.
        #expect(try store.knownPeers(for: infoHash(2)).map(\.address.host) == ["10.9.9.9"])

        // An old sighting does not push out newer peers.
        try store.rememberPeers([peer("10.0.0.0")], for: infoHash(1), seenAt: date(0), limit: 4)
        #expect(try store.knownPeers(for: infoHash(1)).map(\.address.host).contains("10.0.0.0") == false)
    }

    @Test("the default limit is StateStoreLimits.maximumKnownPeersPerTorrent")
    func defaultLimit() throws {
        let folder = try StoreFolder()
        let store = try folder.open()
        try store.addTorrent(fullRecord(1))
        let many = (0..<(StateStoreLimits.maximumKnownPeersPerTorrent + 25)).map {
            peer("10.1.\($0 / 256).\($0 % 256)")
        }
        try store.rememberPeers(many, for: infoHash(1), seenAt: date(5))
        #expect(try store.knownPeers(for: infoHash(1)).count == StateStoreLimits.maximumKnownPeersPerTorrent)
    }

    @Test("peers of a torrent that is not in the library are refused")
    func unknownTorrent() throws {
        let folder = try StoreFolder()
        let store = try folder.open()
        #expect(throws: StateStoreError.unknownTorrent(infoHash(5))) {
            try store.rememberPeers([peer("10.0.0.1")], for: infoHash(5), seenAt: date(1))
        }
    }
}
