import DHT
import DHTNode
import Synchronization
import TestSupport
import Testing
import TorrentModel

/// A `get_peers` lookup hands on the peers it finds as they come: dead nodes among those closest to the infohash
/// hold the lookup's end for the stall timeout, and a watcher should not wait that long to dial.
@Suite(.timeLimit(.minutes(5))) struct EarlyPeersTests {
    /// This test's DHT only (see `LoopbackDHT`).
    static let host = "127.0.0.62"

    @Test func peersArriveBeforeALookupHeldByDeadNodesEnds() async throws {
        var random = SeededRandom(seed: 77)
        let infoHash = InfoHash(bytes: [0x42] + random.bytes(count: 19))!
        let first = try await LoopbackDHT.node(
            LoopbackDHT.settings(id: LoopbackDHT.id(first: 0x80, &random), host: Self.host), host: Self.host)
        var nodes = [first]
        for index in 1..<16 {
            let id: NodeID
            switch index {
            // Two nodes closer to the infohash than any other (its first 12 bytes): they die after the announce.
            case 1, 2: id = NodeID(bytes: Array(infoHash.bytes.prefix(12)) + random.bytes(count: 8))!
            case 3: id = LoopbackDHT.id(first: 0x43, &random)  // the announcer, near the infohash
            case 4: id = LoopbackDHT.id(first: 0xC0, &random)  // the finder, far from it
            default: id = LoopbackDHT.id(first: UInt8(truncatingIfNeeded: index * 16), &random)
            }
            nodes.append(
                try await LoopbackDHT.node(
                    LoopbackDHT.settings(id: id, bootstrap: [first.port], host: Self.host), host: Self.host))
        }
        let doomed = [nodes[1], nodes[2]]
        let announcer = nodes[3]
        let finder = nodes[4]
        let peerPort: UInt16 = 51_413
        let all = nodes

        try await LoopbackDHT.running(all) {
            for _ in 0..<2 {
                for node in all { await node.bootstrap() }
            }
            let announced = await announcer.announce(infoHash, port: peerPort)
            #expect(announced.acknowledged >= 4, "announce: \(announced)")
            for node in doomed { node.stop() }

            let started = ContinuousClock.now
            let firstSeen = Mutex<Duration?>(nil)
            let peers = await finder.getPeers(infoHash) { found in
                if found.contains(PeerAddress(host: Self.host, port: peerPort)) {
                    firstSeen.withLock { $0 = $0 ?? ContinuousClock.now - started }
                }
            }
            let ended = ContinuousClock.now - started
            #expect(peers.contains(PeerAddress(host: Self.host, port: peerPort)), "found \(peers)")
            let early = try #require(firstSeen.withLock { $0 }, "onPeers never got the peer")
            // The dead nodes held the lookup for the stall timeout (3 s); the peer came well before.
            #expect(ended >= .seconds(2.5), "the lookup ended after \(ended): no dead node held it")
            #expect(early < ended - .seconds(1), "the peer came at \(early), the lookup ended at \(ended)")
        }
    }
}
