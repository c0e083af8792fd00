import DHT
import DHTNode
import Foundation
import Glibc
import Logging
import TestSupport
import Testing
import TorrentModel

/// BEP 27 (issue 8, item 4): a private torrent's peers come only from its trackers, so it is never announced or
/// looked up on the DHT or by Local Service Discovery. (PEX: SwarmEngineTests/PEXTests.swift.)
///
/// Two `shoal seed` processes run side by side with the same discovery: a DHT of this test's own on loopback, LSD on
/// a group port of this test's own, and one open tracker. One seeds a private torrent, the other a public one: the
/// control, without which silence would prove nothing. The test watches the wire, not the logs (neither a DHT nor an
/// LSD announce is logged):
///
/// - a silent UDP socket, the spy, is one of both seeds' `--dht-bootstrap` nodes. A DHT node asks its bootstrap nodes
///   in every lookup while its routing table holds fewer than a bucket's worth (8), which this DHT of three nodes keeps
///   it to; the spy never answers, so no node ever hands it on. It records every KRPC query the seeds send;
/// - a socket in the LSD group records every announcement;
/// - a `get_peers` lookup from one of the test's DHT nodes asks who announced each infohash.
///
/// First the public seed must be seen on all three: its `get_peers` at the spy, its LSD announcement, and itself as a
/// DHT peer. Then the private seed, started before it and still running, is checked over at least twice that time
/// (and 30 s): its DHT node did query the spy (it is in the DHT), its LSD service is up, the tracker counts it as a
/// seeder, yet no packet at the spy or in the group ever carried its infohash, and the DHT knows no peer for it.
@Suite(.timeLimit(.minutes(10))) struct PrivateTorrentDiscoveryTests {
    static let publicHost = "127.0.0.61"
    static let privateHost = "127.0.0.62"
    /// The test's DHT: the first bootstraps the others, and both seeds join through it.
    static let dhtHosts = ["127.0.0.63", "127.0.0.64", "127.0.0.65"]
    static let spyHost = "127.0.0.66"
    /// BEP 14's IPv4 group.
    static let lsdGroup = "239.192.152.143"
    /// How long the public seed may take to be seen on the DHT, at the spy and in the LSD group.
    static let publicDeadline: Duration = .seconds(150)
    /// The private seed is watched for at least twice as long as the public one took to be seen, and at least this.
    static let minimumPrivateWindow: Duration = .seconds(30)

    @Test func aPrivateTorrentIsNeitherAnnouncedNorLookedUpOnTheDHTOrLSDWhileAPublicOneIs() async throws {
        let directory = try TemporaryDirectory(prefix: "shoal-private-discovery")
        let tracker = try await ShoalTracker.start()
        defer { tracker.stop() }
        let publicTorrent = try await Self.makeTorrent(
            in: directory, name: "public", isPrivate: false, tracker: tracker)
        let privateTorrent = try await Self.makeTorrent(
            in: directory, name: "private", isPrivate: true, tracker: tracker)
        try #require(!publicTorrent.metainfo.isPrivate)
        try #require(privateTorrent.metainfo.isPrivate)
        let publicHash = publicTorrent.metainfo.infoHash
        let privateHash = privateTorrent.metainfo.infoHash

        var groupPort = try FreePort.tcp()
        while !FreePort.isUDPFree(groupPort) || groupPort == 6771 { groupPort = try FreePort.tcp() }
        // Both listen before any seed starts: a seed announces on LSD and looks up on the DHT at once.
        let group = try LoopbackUDPSocket(group: Self.lsdGroup, port: groupPort, listening: true)
        let spy = try LoopbackUDPSocket(listeningOn: Self.spyHost)

        let nodes = try await Self.startDHT()
        try await Self.running(nodes) {
            for _ in 0..<2 { for node in nodes { await node.bootstrap() } }
            let discovery =
                ["--port", "0", "--lsd-port", String(groupPort), "-v"]
                + [
                    "--dht-bootstrap", "\(Self.dhtHosts[0]):\(nodes[0].port)", "--dht-bootstrap",
                    "\(spy.group):\(spy.port)",
                ]
            let privateSeed = try await Seed.start(privateTorrent, on: Self.privateHost, discovery)
            defer { privateSeed.process.stop() }
            let publicSeed = try await Seed.start(publicTorrent, on: Self.publicHost, discovery)
            defer { publicSeed.process.stop() }
            var heard = Heard()

            // The control: the public seed is seen everywhere.
            var publicPeers: [PeerAddress] = []
            while true {
                heard.collect(spy: spy, group: group)
                if !publicPeers.contains(publicSeed.peer) { publicPeers = await nodes[1].getPeers(publicHash) }
                let seen = (
                    spy: heard.lookups(of: publicHash, from: Self.publicHost) > 0,
                    lsd: heard.announcements(of: publicHash, from: Self.publicHost) > 0,
                    dht: publicPeers.contains(publicSeed.peer)
                )
                if seen.spy && seen.lsd && seen.dht { break }
                guard ContinuousClock.now - publicSeed.started < Self.publicDeadline else {
                    throw TimedOutWaiting(
                        what: "the public seed on the DHT and LSD (seen: \(seen); DHT peers \(publicPeers); "
                            + "\(heard.summary)); public seed stderr: \(publicSeed.process.standardError.suffix(2000))")
                }
                try await Task.sleep(for: .milliseconds(250))
            }
            let publicTook = ContinuousClock.now - publicSeed.started

            // The private seed, over at least twice that time from its start (it started first).
            let windowEnd = privateSeed.started + max(publicTook * 2, Self.minimumPrivateWindow)
            while ContinuousClock.now < windowEnd {
                heard.collect(spy: spy, group: group)
                try await Task.sleep(for: .milliseconds(250))
            }
            try await tracker.waitForSeeders(infoHashHex: privateHash.hex, atLeast: 1)
            heard.collect(spy: spy, group: group)
            let watched = ContinuousClock.now - privateSeed.started
            let context = "public seen after \(publicTook), private watched \(watched); \(heard.summary)"
            print("private torrent discovery: \(context)")

            #expect(privateSeed.process.isRunning && publicSeed.process.isRunning, "\(context)")
            // The private seed takes part in both, so its silence about the torrent is a decision:
            // its DHT node queried the spy (find_node of its own ID), and its LSD service joined the group.
            #expect(heard.queries(from: Self.privateHost) > 0, "the private seed's DHT node was silent; \(context)")
            let privateLog = privateSeed.process.standardError
            #expect(privateLog.contains("LSD on \(Self.lsdGroup):\(groupPort)"), "\(privateLog.suffix(2000))")
            #expect(!privateLog.contains("local service discovery is off"), "\(privateLog.suffix(2000))")
            // Yet no DHT query and no LSD announcement ever named its infohash.
            let leaks = heard.dhtPackets(carrying: privateHash).map { "\($0.source):\($0.sourcePort)" }
            #expect(leaks.isEmpty, "DHT packets with the private infohash, from these senders; \(context)")
            let announced = heard.announcements(of: privateHash, from: nil)
            #expect(announced == 0, "\(announced) LSD announcements of the private torrent; \(context)")
            // And the DHT knows no peer for it. (This lookup sends the infohash only to the test's and the seeds'
            // nodes, never to the spy, whose packets were all read above.)
            let privatePeers = await nodes[1].getPeers(privateHash)
            #expect(privatePeers.isEmpty, "the DHT has peers for the private torrent: \(privatePeers); \(context)")
            // The public seed is still found there: the DHT still answers.
            let publicPeersAtEnd = await nodes[1].getPeers(publicHash)
            #expect(publicPeersAtEnd.contains(publicSeed.peer), "\(publicPeersAtEnd); \(context)")
        }
    }

    // MARK: - Set-up

    /// A torrent of 300 kB of seeded random data in `directory/name/name.bin`, listing `tracker`.
    private static func makeTorrent(
        in directory: TemporaryDirectory, name: String, isPrivate: Bool, tracker: ShoalTracker
    ) async throws -> TorrentFile {
        var random = SeededRandom(seed: isPrivate ? 27 : 72)
        let file = try directory.write(random.data(count: 300_000), to: "\(name)/\(name).bin")
        let path = directory.url.appendingPathComponent("\(name).torrent").path
        let made = try await ShoalBinary.run(
            ["create", file.path, "-o", path, "-q", "--tracker", tracker.httpURL] + (isPrivate ? ["--private"] : []))
        try #require(made.exitCode == 0, "\(made.standardError)")
        let metainfo = try Metainfo(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        return TorrentFile(path: path, data: directory.url.appendingPathComponent(name).path, metainfo: metainfo)
    }

    /// Three nodes on `dhtHosts`, the others bootstrapping from the first.
    private static func startDHT() async throws -> [DHTNode] {
        var logger = Logger(label: "shoal.private-discovery.dht")
        logger.logLevel = .warning
        let first = try await DHTNode.bind(
            host: dhtHosts[0], settings: DHTNodeSettings(bootstrapNodes: []), logger: logger)
        var nodes = [first]
        let bootstrap = DHTNodeSettings(bootstrapNodes: [PeerAddress(host: dhtHosts[0], port: UInt16(first.port))])
        for host in dhtHosts.dropFirst() {
            nodes.append(try await DHTNode.bind(host: host, settings: bootstrap, logger: logger))
        }
        return nodes
    }

    /// Runs `nodes` for the length of `body`, and stops them after it.
    private static func running(_ nodes: [DHTNode], _ body: () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for node in nodes { group.addTask { await node.run() } }
            defer { for node in nodes { node.stop() } }
            try await body()
        }
    }
}

/// A .torrent file and the folder that holds its data.
private struct TorrentFile {
    var path: String
    var data: String
    var metainfo: Metainfo
}

/// A running `shoal seed` of an existing torrent on one loopback address.
private struct Seed {
    let process: BackgroundProcess
    /// When its process was started.
    let started: ContinuousClock.Instant
    /// Its peer listener, as the DHT should list it.
    let peer: PeerAddress

    static func start(_ torrent: TorrentFile, on host: String, _ arguments: [String]) async throws -> Seed {
        let started = ContinuousClock.now
        let process = try BackgroundProcess(
            try ShoalBinary.path(), ["seed", torrent.path, "--data", torrent.data, "--bind", host] + arguments,
            name: "shoal seed \(torrent.metainfo.isPrivate ? "private" : "public")")
        do {
            let listening = try await process.waitForLine(startingWith: "listening on \(host):", timeout: .seconds(120))
            _ = try await process.waitForLine(startingWith: "dht port: ")
            let port = try #require(UInt16(listening), "listening on \(host):\(listening)")
            return Seed(process: process, started: started, peer: PeerAddress(host: host, port: port))
        } catch {
            process.stop()
            throw error
        }
    }
}

/// Everything the spy and the group socket received so far.
private struct Heard {
    var dht: [LoopbackUDPSocket.Packet] = []
    var lsd: [LoopbackUDPSocket.Packet] = []

    mutating func collect(spy: LoopbackUDPSocket, group: LoopbackUDPSocket) {
        dht += spy.receiveAll()
        lsd += group.receiveAll()
    }

    /// KRPC queries the spy received from `host`.
    func queries(from host: String) -> Int {
        dht.count { $0.source == host && Self.query($0) != nil }
    }

    /// `get_peers` queries for `infoHash` the spy received from `host`.
    func lookups(of infoHash: InfoHash, from host: String) -> Int {
        dht.count { $0.source == host && Self.query($0) == .getPeers(infoHash: infoHash) }
    }

    /// Packets at the spy with `infoHash`'s 20 bytes anywhere in them, decodable or not.
    func dhtPackets(carrying infoHash: InfoHash) -> [LoopbackUDPSocket.Packet] {
        dht.filter { packet in
            packet.bytes.count >= infoHash.bytes.count
                && (0...(packet.bytes.count - infoHash.bytes.count)).contains { start in
                    packet.bytes[start..<start + infoHash.bytes.count].elementsEqual(infoHash.bytes)
                }
        }
    }

    /// LSD packets naming `infoHash` (in hex, any case), from `host` or (nil) from anyone.
    func announcements(of infoHash: InfoHash, from host: String?) -> Int {
        let hex = infoHash.hex.lowercased()
        return lsd.count { packet in
            let text = String(decoding: packet.bytes, as: UTF8.self).lowercased()
            return (host == nil || packet.source == host) && text.contains(hex)
        }
    }

    /// Who sent what: `spy: 127.0.0.62 find_node ×2, ...; LSD group: 127.0.0.61 ×1`.
    var summary: String {
        var queries: [String: Int] = [:]
        for packet in dht {
            let name: String
            switch Self.query(packet) {
            case .getPeers(let infoHash): name = "get_peers \(infoHash.hex.prefix(8))"
            case .announcePeer(let infoHash, _, _, _, _): name = "announce_peer \(infoHash.hex.prefix(8))"
            case let method?: name = method.name
            case nil: name = "\(packet.bytes.count) bytes not a query"
            }
            queries["\(packet.source) \(name)", default: 0] += 1
        }
        var senders: [String: Int] = [:]
        for packet in lsd { senders[packet.source, default: 0] += 1 }
        let spy = queries.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
        let lsd = senders.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
        return "spy heard: [\(spy)]; LSD group heard: [\(lsd)]"
    }

    private static func query(_ packet: LoopbackUDPSocket.Packet) -> KRPCQuery.Method? {
        (try? KRPCMessage.decode(packet.bytes))?.query?.method
    }
}
