import DHT
import DHTNode
import Synchronization
import TestSupport
import Testing
import TorrentModel

/// A `get_peers` lookup hands on the peers it finds as they come: dead nodes among those closest to the infohash
/// hold the lookup's end for the stall timeout, and a watcher should not wait that long to dial, nor a caller done
/// with its search (the metadata came) for the search to end.
@Suite(.timeLimit(.minutes(5))) struct EarlyPeersTests {
    /// This test's DHT only (see `LoopbackDHT`).
    static let host = "127.0.0.82"
    static let peerPort: UInt16 = 51_413
    static var peer: PeerAddress { PeerAddress(host: host, port: peerPort) }

    /// 16 nodes; two of them, the closest to `infoHash` of all, stored the announce of `peer` and are dead.
    /// `finder`, far from the infohash, has not looked for it yet; its stall timeout is `stallTimeout`.
    struct Network: Sendable {
        let nodes: [DHTNode]
        let finder: DHTNode
        let infoHash: InfoHash

        static func running(
            stallTimeout: Double, _ body: @Sendable (Network) async throws -> Void
        ) async throws {
            var random = SeededRandom(seed: 77)
            let infoHash = InfoHash(bytes: [0x42] + random.bytes(count: 19))!
            let first = try await LoopbackDHT.node(
                LoopbackDHT.settings(id: LoopbackDHT.id(first: 0x80, &random), host: host), host: host)
            var nodes = [first]
            for index in 1..<16 {
                let id: NodeID
                switch index {
                // Closer to the infohash than any other (its first 12 bytes): they die after the announce.
                case 1, 2: id = NodeID(bytes: Array(infoHash.bytes.prefix(12)) + random.bytes(count: 8))!
                case 3: id = LoopbackDHT.id(first: 0x43, &random)  // the announcer, near the infohash
                case 4: id = LoopbackDHT.id(first: 0xC0, &random)  // the finder, far from it
                default: id = LoopbackDHT.id(first: UInt8(truncatingIfNeeded: index * 16), &random)
                }
                var settings = LoopbackDHT.settings(id: id, bootstrap: [first.port], host: host)
                if index == 4 {
                    settings.transactions = TransactionTableSettings(stallTimeout: stallTimeout, timeout: 60)
                }
                nodes.append(try await LoopbackDHT.node(settings, host: host))
            }
            let network = Network(nodes: nodes, finder: nodes[4], infoHash: infoHash)
            let all = nodes
            try await LoopbackDHT.running(all) {
                for _ in 0..<2 {
                    for node in all { await node.bootstrap() }
                }
                let announced = await all[3].announce(infoHash, port: peerPort)
                #expect(announced.acknowledged >= 4, "announce: \(announced)")
                for node in all[1...2] { node.stop() }
                try await body(network)
            }
        }
    }

    @Test func peersArriveBeforeALookupHeldByDeadNodesEnds() async throws {
        try await Network.running(stallTimeout: 3) { network in
            let started = ContinuousClock.now
            let firstSeen = Mutex<Duration?>(nil)
            let peers = await network.finder.getPeers(network.infoHash) { found in
                if found.contains(Self.peer) { firstSeen.withLock { $0 = $0 ?? ContinuousClock.now - started } }
            }
            let ended = ContinuousClock.now - started
            #expect(peers.contains(Self.peer), "found \(peers)")
            let early = try #require(firstSeen.withLock { $0 }, "onPeers never got the peer")
            // The dead nodes held the lookup for the stall timeout (3 s); the peer came well before.
            #expect(ended >= .seconds(2.5), "the lookup ended after \(ended): no dead node held it")
            #expect(early < ended - .seconds(1), "the peer came at \(early), the lookup ended at \(ended)")
        }
    }

    @Test func stoppingASearchEndsTheLookupItsDeadNodesHold() async throws {
        // Dead nodes hold the lookup for 20 s; stopping the search must not wait for that.
        try await Network.running(stallTimeout: 20) { network in
            let search = DHTAnnouncer(node: network.finder, infoHash: network.infoHash, port: nil)
            let (found, sink) = AsyncStream.makeStream(of: [PeerAddress].self)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await search.run(onPeers: { sink.yield($0) }) }
                for await peers in found where peers.contains(Self.peer) { break }
                let lookups = await network.finder.health.runningLookups
                #expect(lookups >= 1, "the lookup had ended already: nothing for stop() to cut short")
                let stopped = ContinuousClock.now
                search.stop()
                try await group.waitForAll()
                let took = ContinuousClock.now - stopped
                #expect(took < .seconds(10), "run() returned \(took) after stop()")
            }
        }
    }
}
