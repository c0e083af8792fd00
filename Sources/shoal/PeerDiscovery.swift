import DHTNode
import LocalDiscovery
import LocalDiscoveryService
import Logging

/// How a `download`, `seed` or `watch` run finds peers besides trackers and `--peer`: its DHT node and its
/// Local Service Discovery socket, each nil when off. Both run for as long as the command.
struct PeerDiscovery: Sendable {
    /// One UDP socket on the peer address (the peer port's number when it is free, as libtorrent shares one
    /// port), bootstrapped from `--dht-bootstrap`. Its table is not kept after the command (`shoal node`
    /// keeps its own in the library).
    var dht: DHTNode?
    /// BEP 14 multicast on the peer address's interface.
    var lsd: LSDService?

    /// Runs `body` with the discovery `options` ask for. Prints `dht port: N`. LSD that cannot start (no
    /// multicast route) is one line on stderr, not an error: the swarm works without it.
    static func with<T>(_ options: SwarmOptions, _ body: (PeerDiscovery) async throws -> T) async throws -> T {
        var discovery = PeerDiscovery()
        if !options.dht.disabled {
            let node = try await bindDHT(options)
            print("dht port: \(node.port)")
            flushStandardOutput()
            discovery.dht = node
        }
        if let settings = options.lsd.settings(listeningOn: options.bind) {
            do {
                discovery.lsd = try await LSDService.bind(settings: settings, logger: options.logger)
            } catch {
                Terminal.writeToStandardError("shoal: local service discovery is off: \(error.description)\n")
            }
        }
        let running = discovery
        return try await withThrowingTaskGroup(of: Void.self) { group in
            if let dht = running.dht { group.addTask { await dht.run() } }
            if let lsd = running.lsd { group.addTask { await lsd.run() } }
            defer {
                running.dht?.stop()
                running.lsd?.stop()
            }
            return try await body(running)
        }
    }

    private static func bindDHT(_ options: SwarmOptions) async throws(CLIError) -> DHTNode {
        let settings = DHTNodeSettings(bootstrapNodes: options.dht.bootstrapNodes(listeningOn: options.bind))
        do {
            return try await DHTNode.bind(
                host: options.bind, preferredPort: options.port, settings: settings, logger: options.logger)
        } catch {
            throw CLIError.input("\(error.description) (or use --no-dht)")
        }
    }
}
