import DHT
import DHTNode
import TestSupport
import Testing
import TorrentModel

/// Many Shoal nodes in one process, bootstrapped from the first: an announced peer is found by a node
/// far away in ID space, through the DHT alone.
@Suite(.timeLimit(.minutes(5))) struct DHTSwarmTests {
    static let nodeCount = 24

    /// This test's DHT only (see `LoopbackDHT`).
    static let host = "127.0.0.81"

    @Test func aPeerAnnouncedByOneNodeIsFoundByAFarNode() async throws {
        var random = SeededRandom(seed: 24)
        let first = try await LoopbackDHT.node(
            LoopbackDHT.settings(id: LoopbackDHT.id(first: 0x80, &random), host: Self.host), host: Self.host)
        var nodes = [first]
        for index in 1..<Self.nodeCount {
            // Spread over the ID space; node 1 (the announcer) and node 2 (the finder) at opposite ends.
            let leading = index == 1 ? 0x01 : index == 2 ? 0xFE : UInt8(truncatingIfNeeded: index * 10)
            let settings = LoopbackDHT.settings(
                id: LoopbackDHT.id(first: leading, &random), bootstrap: [first.port], host: Self.host)
            nodes.append(try await LoopbackDHT.node(settings, host: Self.host))
        }
        let announcer = nodes[1]
        let finder = nodes[2]
        // Close to the announcer, far from the finder: the finder's own store never holds it.
        let infoHash = InfoHash(bytes: [0x02] + random.bytes(count: 19))!
        let peerPort: UInt16 = 51_413
        let all = nodes

        try await LoopbackDHT.running(all) {
            // Each node bootstraps on start; two more rounds let every node learn its neighbours, now that
            // all of them are up and have answered each other's ping-backs.
            // (Two rounds usually do; a loaded machine may need more, as a query waits behind everything else.)
            for round in 0..<10 {
                for node in all { await node.bootstrap() }
                var smallest = Int.max
                for node in all { smallest = min(smallest, await node.routingTableSize) }
                if round >= 1 && smallest >= DHTLimits.bucketSize { break }
            }
            for node in all {
                let size = await node.routingTableSize
                #expect(size >= DHTLimits.bucketSize, "a node knows only \(size) nodes")
            }
            let announced = await announcer.announce(infoHash, port: peerPort)
            #expect(announced.acknowledged >= DHTLimits.bucketSize / 2, "announce: \(announced)")

            let storedWithFinder = await finder.health.storedPeers
            #expect(storedWithFinder == 0)
            let peers = await finder.getPeers(infoHash)
            #expect(peers.contains(PeerAddress(host: Self.host, port: peerPort)), "found \(peers)")

            // The announce reached the nodes closest to the infohash, and no node holds anything else.
            var holders = 0
            for node in all {
                let health = await node.health
                #expect(health.storedPeers <= 1)
                holders += health.storedPeers
            }
            #expect(holders == announced.acknowledged)
        }
    }
}
