import Foundation
import Glibc
import StateStore
import TestSupport
import Testing
import TorrentModel

@testable import ShoalNode

/// Two nodes in this process over 127.0.0.1: a seeder, and a leecher that is stopped cleanly mid-download and
/// started again on the same data directory.
@Suite struct NodeRestartTests {
    static let pieceLength = 64 * 1024
    static let length = 6 * 1024 * 1024 + 12_345

    @Test func aStoppedNodeResumesWithoutFetchingVerifiedPiecesAgainAndKeepsItsTotals() async throws {
        let temporary = try TemporaryDirectory()
        let fixture = try NodeFixture(length: Self.length, pieceLength: Self.pieceLength, seed: 41)
        let infoHash = fixture.metainfo.infoHash

        // The seeder: the content is already in its save folder, so adding the torrent checks it.
        let seeder = try await fixture.startedSeeder(in: temporary)
        let seederPort = UInt16(await seeder.peerPort)
        async let seederRun: Void = seeder.run()

        // The leecher, slowed down so that it can be stopped in the middle.
        let leecherDirectory = DataDirectory(path: temporary.path + "/leecher")
        let slow = NodeSettings(
            peerHost: "127.0.0.1", peerPort: 0, flushInterval: .milliseconds(200), maximumDownloadRate: 1_500_000)
        let first = try Node(directory: leecherDirectory, settings: slow, logger: NodeFixture.logger())
        try await first.start()
        try await first.add(metainfo: fixture.torrent)
        try await first.connect(PeerAddress(host: "127.0.0.1", port: seederPort), for: infoHash)
        async let firstRun: Void = first.run()
        try await eventually("a third of the torrent") {
            try await first.status(of: infoHash).progress >= 0.33
        }
        first.requestStop()
        await firstRun
        let store = try StateStore(path: leecherDirectory.databasePath)
        let savedPieces = try #require(try store.completion(infoHash: infoHash))
        let savedTotals = try store.totals(infoHash: infoHash)
        try store.close()
        #expect(savedPieces.setCount >= fixture.metainfo.pieceCount / 3)
        #expect(savedPieces.setCount < fixture.metainfo.pieceCount)
        let savedBytes = savedPieces.setIndices.reduce(0) { $0 + fixture.metainfo.geometry.length(ofPiece: $1) }
        #expect(savedTotals.downloaded >= Int64(savedBytes))

        // Started again: the saved pieces count at once, the seeder is dialed from the known peers, and only
        // the rest is fetched.
        let second = try Node(
            directory: leecherDirectory, settings: NodeSettings(peerHost: "127.0.0.1", peerPort: 0),
            logger: NodeFixture.logger())
        try await second.start()
        let restored = try await second.status(of: infoHash)
        #expect(restored.have?.setCount ?? 0 >= savedPieces.setCount)
        async let secondRun: Void = second.run()
        // Complete, and recorded as such (the library hears of it just after the session).
        try await eventually("the download to complete") {
            let status = try await second.status(of: infoHash)
            return status.phase == .seeding && status.record.state == .seeding && status.record.completedAt != nil
        }
        let done = try await second.status(of: infoHash)
        second.requestStop()
        await secondRun
        seeder.requestStop()
        await seederRun

        let downloaded = try Data(contentsOf: URL(fileURLWithPath: leecherDirectory.downloadsPath + "/content.bin"))
        #expect([UInt8](downloaded) == fixture.content)
        // Every byte fetched once, plus at most the blocks in flight when the first node stopped.
        #expect(done.downloaded >= Int64(Self.length))
        #expect(done.downloaded <= Int64(Self.length) + 2 * 1024 * 1024)
        #expect(done.downloaded > savedTotals.downloaded)
        #expect(done.record.state == .seeding)
        #expect(done.record.completedAt != nil)
    }

    /// A leecher whose only peer went away waits for no announce: it dials its remembered peers again every
    /// `reconnectInterval` while it has none, and finishes once the seeder is back at its address.
    @Test func aLeecherLeftWithoutPeersDialsItsRememberedPeersAgain() async throws {
        let temporary = try TemporaryDirectory()
        let fixture = try NodeFixture(length: Self.length, pieceLength: Self.pieceLength, seed: 43)
        let infoHash = fixture.metainfo.infoHash
        let firstSeeder = try await fixture.startedSeeder(in: temporary)
        let seederPort = await firstSeeder.peerPort
        async let firstSeederRun: Void = firstSeeder.run()

        let leecherSettings = NodeSettings(
            peerHost: "127.0.0.1", peerPort: 0, reconnectInterval: .milliseconds(500),
            maximumDownloadRate: 1_500_000, dhtEnabled: false, lsdEnabled: false)
        let leecher = try Node(
            directory: DataDirectory(path: temporary.path + "/leecher"), settings: leecherSettings,
            logger: NodeFixture.logger())
        try await leecher.start()
        try await leecher.add(metainfo: fixture.torrent)
        try await leecher.connect(PeerAddress(host: "127.0.0.1", port: UInt16(seederPort)), for: infoHash)
        async let leecherRun: Void = leecher.run()
        try await eventually("a fifth of the torrent") { try await leecher.status(of: infoHash).progress >= 0.2 }

        firstSeeder.requestStop()
        await firstSeederRun
        try await eventually("the leecher to lose its only peer") {
            try await leecher.status(of: infoHash).peers.isEmpty
        }
        let progressAlone = try await leecher.status(of: infoHash).progress
        #expect(progressAlone < 1)
        // The same seeder, back at the same address; it does not know the leecher (it was dialed, not found).
        let secondSeeder = try Node(
            directory: DataDirectory(path: temporary.path + "/seeder"),
            settings: NodeSettings(peerHost: "127.0.0.1", peerPort: seederPort, dhtEnabled: false, lsdEnabled: false),
            logger: NodeFixture.logger())
        try await secondSeeder.start()
        async let secondSeederRun: Void = secondSeeder.run()
        try await eventually("the download to complete", within: 60) {
            try await leecher.status(of: infoHash).phase == .seeding
        }
        leecher.requestStop()
        await leecherRun
        secondSeeder.requestStop()
        await secondSeederRun
        let downloaded = try Data(
            contentsOf: URL(fileURLWithPath: temporary.path + "/leecher/downloads/content.bin"))
        #expect([UInt8](downloaded) == fixture.content)
    }

    @Test(arguments: [DamageKind.truncated, .deleted])
    func aDataFileDamagedWhileStoppedIsDetectedAndRepaired(damage: DamageKind) async throws {
        let temporary = try TemporaryDirectory()
        let fixture = try NodeFixture(length: 2 * 1024 * 1024 + 777, pieceLength: Self.pieceLength, seed: 43)
        let infoHash = fixture.metainfo.infoHash
        let seeder = try await fixture.startedSeeder(in: temporary)
        let seederAddress = PeerAddress(host: "127.0.0.1", port: UInt16(await seeder.peerPort))
        async let seederRun: Void = seeder.run()

        let directory = DataDirectory(path: temporary.path + "/leecher")
        let settings = NodeSettings(peerHost: "127.0.0.1", peerPort: 0)
        let first = try Node(directory: directory, settings: settings, logger: NodeFixture.logger())
        try await first.start()
        try await first.add(metainfo: fixture.torrent)
        try await first.connect(seederAddress, for: infoHash)
        async let firstRun: Void = first.run()
        try await eventually("the first download") { try await first.status(of: infoHash).phase == .seeding }
        first.requestStop()
        await firstRun

        let file = directory.downloadsPath + "/content.bin"
        switch damage {
        case .truncated: #expect(truncate(file, 100_000) == 0)
        case .deleted: #expect(unlink(file) == 0)
        }
        let second = try Node(directory: directory, settings: settings, logger: NodeFixture.logger())
        try await second.start()
        // Re-checked when brought back: had the damage gone unnoticed, the node would claim the torrent complete
        // and never fetch the missing bytes, and the comparison below would fail.
        async let secondRun: Void = second.run()
        try await eventually("the repair") { try await second.status(of: infoHash).phase == .seeding }
        second.requestStop()
        await secondRun
        seeder.requestStop()
        await seederRun
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: file))) == fixture.content)
    }

    enum DamageKind: Sendable, CustomStringConvertible {
        case truncated, deleted
        var description: String { self == .truncated ? "truncated" : "deleted" }
    }
}

/// A torrent whose data is not there yet.
@Suite struct NodeEmptyTorrentTests {
    @Test func aTorrentWithoutDataIsRecordedEmptySoTheNextStartDoesNotHashItsNewFiles() async throws {
        let temporary = try TemporaryDirectory()
        let fixture = try NodeFixture(length: 300_000, pieceLength: 32 * 1024, seed: 53)
        let directory = DataDirectory(path: temporary.path + "/node")
        let node = try Node(
            directory: directory, settings: NodeSettings(peerHost: "127.0.0.1", peerPort: 0),
            logger: NodeFixture.logger())
        try await node.start()
        try await node.add(metainfo: fixture.torrent)
        node.requestStop()
        await node.run()
        let store = try StateStore(path: directory.databasePath)
        let saved = try #require(try store.completion(infoHash: fixture.metainfo.infoHash))
        try store.close()
        #expect(saved.count == fixture.metainfo.pieceCount)
        #expect(saved.isEmpty)
        // The file `prepare` made is there, at full length, and not worth hashing.
        var info = stat()
        #expect(stat(directory.downloadsPath + "/content.bin", &info) == 0)
        #expect(Int(info.st_size) == 300_000)
    }
}

/// A magnet link added to a node: the metadata comes from the link's peer, then the content.
@Suite struct NodeMagnetTests {
    @Test func aMagnetLinkIsFetchedThenDownloadedAndKeptAsATorrent() async throws {
        let temporary = try TemporaryDirectory()
        let fixture = try NodeFixture(length: 1_500_000, pieceLength: 32 * 1024, seed: 47)
        let infoHash = fixture.metainfo.infoHash
        let seeder = try await fixture.startedSeeder(in: temporary)
        let port = await seeder.peerPort
        async let seederRun: Void = seeder.run()

        let directory = DataDirectory(path: temporary.path + "/leecher")
        let leecher = try Node(
            directory: directory, settings: NodeSettings(peerHost: "127.0.0.1", peerPort: 0),
            logger: NodeFixture.logger())
        try await leecher.start()
        let link = "magnet:?xt=urn:btih:\(infoHash.hex)&dn=from-the-link&x.pe=127.0.0.1:\(port)"
        let record = try await leecher.add(magnet: link)
        #expect(record.metainfo == nil)
        #expect(try await leecher.status(of: infoHash).name == "from-the-link")
        async let leecherRun: Void = leecher.run()
        try await eventually("the magnet's download") { try await leecher.status(of: infoHash).phase == .seeding }
        let done = try await leecher.status(of: infoHash)
        #expect(done.name == "content.bin")
        #expect(done.metainfo?.infoHash == infoHash)
        leecher.requestStop()
        await leecherRun
        seeder.requestStop()
        await seederRun
        #expect(
            [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory.downloadsPath + "/content.bin")))
                == fixture.content)
        // The metadata is in the library and in torrents/, as if a .torrent had been added.
        let kept = try Data(contentsOf: URL(fileURLWithPath: directory.path + "/torrents/\(infoHash.hex).torrent"))
        #expect(try Metainfo(bytes: [UInt8](kept)).infoHash == infoHash)
    }
}
