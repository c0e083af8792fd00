import ArgumentParser
import DHTNode
import Foundation
import Logging
import TorrentModel

struct DHTCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dht",
        abstract: "Run Mainline DHT nodes only: a bootstrap node for a network of your own, or a test DHT.",
        discussion: """
            Each node answers ping, find_node, get_peers and announce_peer (BEP 5) and keeps its routing table \
            alive; it downloads nothing. Prints `dht node: HOST:PORT` per node once all are listening, then a \
            line of figures every --report seconds, until Ctrl-C. With --count N, the nodes take N consecutive \
            IPv4 addresses from --bind on (127.0.0.10, 127.0.0.11, ...: a local test DHT, where one address \
            holds one node as on the internet).
            """
    )

    @Option(help: "UDP port of the first node (0 picks a free one; the other nodes take free ports).")
    var port: Int = 6881

    @Option(help: "Address of the first node.")
    var bind: String = "0.0.0.0"

    @Option(help: "How many nodes to run, on consecutive addresses.")
    var count: Int = 1

    @Option(help: "Seconds between figure lines (0: none).")
    var report: Double = 60

    @OptionGroup(title: "DHT options") var dht: DHTOptions

    @Flag(name: [.short, .long], help: "Log DHT traffic to stderr.")
    var verbose = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard (1...250).contains(count) else { throw ValidationError("--count must be from 1 to 250") }
        guard report >= 0 else { throw ValidationError("--report must not be negative") }
        guard !dht.disabled else { throw ValidationError("--no-dht makes no sense here") }
        guard count == 1 || Self.address(bind, plus: count - 1) != nil else {
            throw ValidationError("--count needs an IPv4 address for --bind with room for that many after it")
        }
    }

    func run() async throws {
        var logger = Logger(label: "shoal.dht")
        logger.logLevel = verbose ? .info : .warning
        var nodes: [(node: DHTNode, address: String)] = []
        for index in 0..<count {
            let host = Self.address(bind, plus: index) ?? bind
            // The first node joins through --dht-bootstrap; the others through the first, so they form one DHT.
            let bootstrap =
                index == 0
                ? dht.bootstrapNodes(listeningOn: host) : [PeerAddress(host: bind, port: UInt16(nodes[0].node.port))]
            do throws(DHTNodeError) {
                let node = try await DHTNode.bind(
                    host: host, port: index == 0 ? port : 0, settings: DHTNodeSettings(bootstrapNodes: bootstrap),
                    logger: logger)
                nodes.append((node, "\(host):\(node.port)"))
            } catch {
                for started in nodes { started.node.stop() }
                throw CLIError.input(error.description)
            }
        }
        let running = nodes
        // Before the ready lines: a Ctrl-C from then on must stop the nodes gracefully.
        let signals = StopSignals { _ in for (node, _) in running { node.stop() } }
        defer { signals.restoreDefaults() }
        for (_, address) in running { print("dht node: \(address)") }
        flushStandardOutput()
        await withTaskGroup(of: Void.self) { group in
            for (node, _) in running { group.addTask { await node.run() } }
            if report > 0 {
                group.addTask {
                    while !Task.isCancelled {
                        do { try await Task.sleep(for: .seconds(report)) } catch { return }
                        print(await Self.figures(running.map(\.node)))
                        flushStandardOutput()
                    }
                }
            }
            // The node tasks end on Ctrl-C; then the reporter is cancelled.
            for _ in running { await group.next() }
            group.cancelAll()
        }
    }

    /// The dotted IPv4 address `offset` after `base` (nil for anything else, or past 255.255.255.255).
    static func address(_ base: String, plus offset: Int) -> String? {
        let parts = base.split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt32($0) }
        guard parts.count == 4, parts.allSatisfy({ $0 <= 255 }) else { return nil }
        let value = UInt64(parts.reduce(0) { $0 << 8 | $1 }) + UInt64(offset)
        guard value <= UInt64(UInt32.max) else { return nil }
        return (0..<4).map { String((value >> (24 - 8 * UInt64($0))) & 0xff) }.joined(separator: ".")
    }

    /// One line: nodes known (good ones), stored peers, packets in, answered, dropped.
    static func figures(_ nodes: [DHTNode]) async -> String {
        var known = 0
        var good = 0
        var stored = 0
        var received = 0
        var answered = 0
        for node in nodes {
            let health = await node.health
            known += await node.routingTableSize
            good += health.goodNodes
            stored += health.storedPeers
            received += health.packetsReceived
            answered += health.queriesAnswered
        }
        return "dht: \(nodes.count) nodes know \(known) nodes (\(good) good), \(stored) stored peers, "
            + "\(received) packets received, \(answered) queries answered"
    }
}
