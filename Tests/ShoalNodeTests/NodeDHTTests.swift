import DHT
import DHTNode
import Foundation
import StateStore
import TestSupport
import Testing
import TorrentModel

@testable import ShoalNode

/// `shoal node` in the DHT: a magnet link with no tracker is resolved and downloaded through it, and the
/// routing table (with the node's ID) is kept in the library across restarts.
@Suite(.timeLimit(.minutes(5))) struct NodeDHTTests {
    @Test func aMagnetWithoutTrackerCompletesThroughTheDHTAndTheTableOutlivesARestart() async throws {
        let temporary = try TemporaryDirectory()
        let fixture = try NodeFixture(length: 1_000_000 + 123, pieceLength: 32 * 1024, seed: 61)
        let infoHash = fixture.metainfo.infoHash

        // The seeder's DHT node is the whole DHT at first: the leecher joins through it.
        let seeder = try Node(
            directory: DataDirectory(path: temporary.path + "/seeder"),
            settings: NodeSettings(peerHost: "127.0.0.2", peerPort: 0, dhtBootstrapNodes: []),
            logger: NodeFixture.logger())
        try await seeder.start()
        try await seeder.add(metainfo: fixture.torrent, savePath: try fixture.writeContent(into: temporary.path + "/c"))
        let seederDHT = try #require(await seeder.dht)
        async let seederRun: Void = seeder.run()

        let directory = DataDirectory(path: temporary.path + "/leecher")
        let settings = NodeSettings(
            peerHost: "127.0.0.3", peerPort: 0,
            dhtBootstrapNodes: [PeerAddress(host: "127.0.0.2", port: UInt16(seederDHT.port))])
        let leecher = try Node(directory: directory, settings: settings, logger: NodeFixture.logger())
        try await leecher.start()
        let leecherID = try #require(await leecher.dht).id
        try await leecher.add(magnet: "magnet:?xt=urn:btih:\(infoHash.hex)")
        async let leecherRun: Void = leecher.run()
        try await eventually("the download through the DHT") {
            try await leecher.status(of: infoHash).phase == .seeding
        }
        let status = try await leecher.status(of: infoHash)
        #expect(status.peerSources[.dht, default: 0] >= 1, "\(status.peerSources)")
        // What `shoal show` and the API tell of the DHT.
        let dht = try #require(NodeController.detail(status).dht)
        #expect(dht.nodes >= 1 && dht.rounds >= 1, "\(dht)")
        leecher.requestStop()
        await leecherRun
        let saved = try Data(contentsOf: URL(fileURLWithPath: directory.downloadsPath + "/content.bin"))
        #expect([UInt8](saved) == fixture.content)

        // Saved when the node stopped: our ID and the seeder's node.
        let store = try StateStore(path: directory.databasePath)
        let snapshot = try #require(try store.dhtSnapshot())
        #expect(snapshot.ownID == leecherID.bytes)
        #expect(!snapshot.nodes.isEmpty)
        try store.close()

        // Back with the same ID, and the saved nodes in its table before any bootstrap.
        let again = try Node(
            directory: directory, settings: NodeSettings(peerHost: "127.0.0.3", peerPort: 0, dhtBootstrapNodes: []),
            logger: NodeFixture.logger())
        try await again.start()
        let restored = try #require(await again.dht)
        #expect(restored.id == leecherID)
        #expect(await restored.routingTableSize >= 1)
        again.requestStop()
        await again.run()
        seeder.requestStop()
        await seederRun
    }

    @Test func withoutDHTTheNodeRunsNone() async throws {
        let temporary = try TemporaryDirectory()
        let node = try Node(
            directory: DataDirectory(path: temporary.path + "/node"),
            settings: NodeSettings(peerHost: "127.0.0.1", peerPort: 0, dhtEnabled: false),
            logger: NodeFixture.logger())
        try await node.start()
        #expect(await node.dht == nil)
        node.requestStop()
        await node.run()
    }
}

/// `shoal node` on the LAN: two nodes with no tracker and no DHT find each other by Local Service
/// Discovery (BEP 14), the group joined on loopback on a port of this test's own.
@Suite(.timeLimit(.minutes(3))) struct NodeLSDTests {
    @Test func twoNodesWithoutTrackerOrDHTFindEachOther() async throws {
        let temporary = try TemporaryDirectory()
        let fixture = try NodeFixture(length: 700_000, pieceLength: 32 * 1024, seed: 71)
        let infoHash = fixture.metainfo.infoHash
        var groupPort = try FreePort.tcp()
        while !FreePort.isUDPFree(groupPort) || groupPort == 6771 { groupPort = try FreePort.tcp() }
        func settings(_ host: String) -> NodeSettings {
            NodeSettings(peerHost: host, peerPort: 0, dhtEnabled: false, lsdPort: groupPort)
        }

        let seeder = try Node(
            directory: DataDirectory(path: temporary.path + "/seeder"), settings: settings("127.0.0.2"),
            logger: NodeFixture.logger())
        try await seeder.start()
        try await seeder.add(metainfo: fixture.torrent, savePath: try fixture.writeContent(into: temporary.path + "/c"))
        async let seederRun: Void = seeder.run()
        let leecher = try Node(
            directory: DataDirectory(path: temporary.path + "/leecher"), settings: settings("127.0.0.3"),
            logger: NodeFixture.logger())
        try await leecher.start()
        #expect(await leecher.lsd != nil)
        try await leecher.add(metainfo: fixture.torrent)
        async let leecherRun: Void = leecher.run()
        try await eventually("the download over the LAN") { try await leecher.status(of: infoHash).phase == .seeding }
        // Whoever heard the other first dialed it and remembered it as a peer of the torrent (the only other
        // ways to remember one, trackers and the DHT, are off). The connection itself may be gone: two
        // seeds part.
        let remembered =
            try leecher.library.knownPeers(for: infoHash).count + seeder.library.knownPeers(for: infoHash).count
        #expect(remembered >= 1)
        leecher.requestStop()
        await leecherRun
        seeder.requestStop()
        await seederRun
    }
}
