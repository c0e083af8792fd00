import DHT
import DHTNode
import Foundation
import Logging
import TestSupport
import Testing
import TorrentModel

/// A magnet link with no tracker and no peer, resolved and downloaded through a DHT of Shoal nodes on
/// loopback. Every node has its own address in 127.0.0.0/8 and default settings (one node per address
/// in a bucket, rate limits, the amplification rule): the DHT a user's node would meet.
@Suite(.timeLimit(.minutes(5))) struct DHTMagnetTests {
    static let nodeCount = 22

    @Test func aMagnetWithoutTrackerResolvesAndDownloadsThroughTheDHT() async throws {
        let started = try await Self.startNodes()
        let nodes = started.map(\.node)
        try await Self.running(nodes) {
            for _ in 0..<2 { for node in nodes { await node.bootstrap() } }
            for node in nodes {
                let size = await node.routingTableSize
                #expect(size >= 8, "node \(node.port) knows \(size) nodes")
            }

            let directory = try TemporaryDirectory(prefix: "shoal-dht-magnet")
            var random = SeededRandom(seed: 42)
            let original = random.data(count: 3_000_000)
            let file = try directory.write(original, to: "data/movie.bin").path
            let torrent = directory.url.appendingPathComponent("movie.torrent").path
            let made = try await ShoalBinary.run(["create", file, "-o", torrent, "-q"])
            try #require(made.exitCode == 0, "\(made.standardError)")

            // The seed joins through one node, the downloader through another: neither knows the other.
            let seed = try BackgroundProcess(
                try ShoalBinary.path(),
                ["seed", torrent, "--data", directory.url.appendingPathComponent("data").path]
                    + ["--port", "0", "--bind", "127.0.0.2", "--dht-bootstrap", started[0].address, "-q"],
                name: "shoal seed")
            defer { seed.stop() }
            let magnet = try await seed.waitForLine(startingWith: "magnet: ")
            #expect(!magnet.contains("tr="), "\(magnet)")
            _ = try await seed.waitForLine(startingWith: "listening on ")

            let target = directory.url.appendingPathComponent("copy").path
            let download = try BackgroundProcess(
                try ShoalBinary.path(),
                ["download", magnet, "-o", target, "--port", "0", "--bind", "127.0.0.3", "-v"]
                    + ["--dht-bootstrap", started[started.count - 1].address],
                name: "shoal download")
            defer { download.stop() }
            let status = try await download.waitForExit(timeout: .seconds(180))
            #expect(status == 0, "\(download.standardError.suffix(3000))")
            let copy = try Data(contentsOf: URL(fileURLWithPath: target + "/movie.bin"))
            #expect(copy == original)
            #expect(download.standardError.contains("searching the DHT for peers"))
            #expect(download.standardError.contains("from dht"), "the seed was not dialed as a DHT peer")
        }
    }

    static let logger: Logger = {
        var logger = Logger(label: "shoal.dht.test")
        logger.logLevel = .warning
        return logger
    }()

    /// `nodeCount` nodes on 127.0.0.10, .11, ..., each bootstrapping from the first, with their
    /// `HOST:PORT`.
    static func startNodes() async throws -> [(node: DHTNode, address: String)] {
        let first = try await DHTNode.bind(
            host: "127.0.0.10", settings: DHTNodeSettings(bootstrapNodes: []), logger: logger)
        var nodes = [(first, "127.0.0.10:\(first.port)")]
        let bootstrap = DHTNodeSettings(bootstrapNodes: [PeerAddress(host: "127.0.0.10", port: UInt16(first.port))])
        for index in 1..<nodeCount {
            let host = "127.0.0.\(10 + index)"
            let node = try await DHTNode.bind(host: host, settings: bootstrap, logger: logger)
            nodes.append((node, "\(host):\(node.port)"))
        }
        return nodes
    }

    /// Runs `nodes` for the length of `body`, and stops them after it.
    static func running(_ nodes: [DHTNode], _ body: () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for node in nodes { group.addTask { await node.run() } }
            defer { for node in nodes { node.stop() } }
            try await body()
        }
    }
}
