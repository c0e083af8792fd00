import DHT
import DHTNode
import Logging
import TestSupport
import TorrentModel

/// Shoal DHT nodes on a loopback address for tests: many nodes share one address, so the one-node-per-address
/// rule of the routing table and the per-address rate limit are relaxed (unless a test wants them). A test whose
/// DHT must stay its own takes an address no other test uses: tests run in parallel in one process, and a port a
/// stopped node freed may be taken by another test's node that the first test's nodes still query.
enum LoopbackDHT {
    static func settings(
        id: NodeID? = nil, bootstrap: [Int] = [], host: String = "127.0.0.1", rateLimited: Bool = false,
        peerStore: PeerStore.Settings = .init()
    ) -> DHTNodeSettings {
        DHTNodeSettings(
            nodeID: id,
            bootstrapNodes: bootstrap.map { PeerAddress(host: host, port: UInt16($0)) },
            routingTable: RoutingTable.Settings(onePerAddressPerBucket: false),
            peerStore: peerStore,
            rateLimiter: rateLimited ? DHTRateLimiter.Settings() : DHTRateLimiter.Settings(ratePerSecond: 0),
            maintenanceInterval: 2)
    }

    /// Warnings only: 20 nodes at info level drown a failure's output.
    static let logger: Logger = {
        var logger = Logger(label: "shoal.dht.test")
        logger.logLevel = .warning
        return logger
    }()

    static func node(_ settings: DHTNodeSettings, host: String = "127.0.0.1") async throws -> DHTNode {
        try await DHTNode.bind(host: host, settings: settings, logger: logger)
    }

    /// An ID whose first byte is `first`, the rest drawn from `random`.
    static func id(first: UInt8, _ random: inout SeededRandom) -> NodeID {
        NodeID(bytes: [first] + random.bytes(count: 19))!
    }

    /// Runs `nodes` for the length of `body`: each node's `run()` is a child task, stopped when the body ends
    /// (or throws).
    static func running<T: Sendable>(
        _ nodes: [DHTNode], _ body: @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for node in nodes { group.addTask { await node.run() } }
            defer { for node in nodes { node.stop() } }
            return try await body()
        }
    }
}
