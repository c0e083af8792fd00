import DHTNode
import Logging

/// The DHT node of a `download`, `seed` or `watch` run: one UDP socket on the peer address (the peer
/// port's number when it is free, as libtorrent shares one port), bootstrapped from `--dht-bootstrap`,
/// running for as long as the command. Prints `dht port: N`. Its table is not kept after the command
/// (`shoal node` keeps its own in the library).
enum CommandDHT {
    /// Runs `body` with a running DHT node, or with nil under `--no-dht`.
    static func with<T>(_ options: SwarmOptions, _ body: (DHTNode?) async throws -> T) async throws -> T {
        guard !options.dht.disabled else { return try await body(nil) }
        let node = try await bind(options)
        print("dht port: \(node.port)")
        flushStandardOutput()
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await node.run() }
            defer { node.stop() }
            return try await body(node)
        }
    }

    private static func bind(_ options: SwarmOptions) async throws(CLIError) -> DHTNode {
        let settings = DHTNodeSettings(bootstrapNodes: options.dht.bootstrapNodes(listeningOn: options.bind))
        let logger = options.logger
        do {
            return try await DHTNode.bind(host: options.bind, port: options.port, settings: settings, logger: logger)
        } catch {
            // The peer port's number is taken for UDP (another client's DHT): any free port will do.
            guard options.port != 0 else { throw CLIError.input("\(error.description) (or use --no-dht)") }
        }
        do {
            return try await DHTNode.bind(host: options.bind, port: 0, settings: settings, logger: logger)
        } catch {
            throw CLIError.input("\(error.description) (or use --no-dht)")
        }
    }
}
