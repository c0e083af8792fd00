import ArgumentParser
import ControlServer
import Foundation
import Logging
import NodeAPI
import ServiceLifecycle
import ShoalNode
import StreamServer

struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Run a node: a library of torrents kept in SQLite, downloaded and seeded until stopped.",
        discussion: """
            Runs in the foreground (the shape a systemd unit wants) and brings back every torrent of the \
            library. `shoal add`, `list`, `show`, `pause`, `resume` and `remove` talk to it over a local JSON \
            API (docs/api.md). Ctrl-C or SIGTERM stops it cleanly: trackers hear 'stopped' and progress is \
            saved. The data directory holds shoal.sqlite, copies of the torrents and, by default, downloads/.
            """
    )

    @OptionGroup var location: DataDirectoryOption

    @Option(help: "The peer port (0 picks a free one).")
    var port: Int = 6881

    @Option(help: "The address to accept peers on; peer connections and tracker announces leave from it too.")
    var bind: String = "0.0.0.0"

    @Option(name: .customLong("api-port"), help: "The control API's port on --api-bind (0 picks a free one).")
    var apiPort: Int = ControlAPI.defaultPort

    @Option(name: .customLong("api-bind"), help: "The control API's address; keep it on loopback.")
    var apiBind: String = ControlAPI.defaultHost

    @Option(name: .customLong("max-upload-rate"), help: "Cap on upload for all torrents, e.g. 500k or 2M.")
    var maxUploadRate: TransferRate?

    @Option(name: .customLong("max-download-rate"), help: "Cap on download for all torrents, e.g. 500k or 2M.")
    var maxDownloadRate: TransferRate?

    @Flag(help: "Move a damaged shoal.sqlite aside and re-create the library from the copies in torrents/.")
    var rebuild = false

    @Option(
        name: .customLong("flush-interval"),
        help: "Seconds between making verified pieces durable and recording them (default 10).")
    var flushInterval: Double = 10

    @OptionGroup(title: "DHT options") var dht: DHTOptions

    @OptionGroup(title: "LAN discovery options") var lsd: LSDOptions

    @Flag(name: .shortAndLong, help: "Log connections and tracker traffic.")
    var verbose = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard (0...65535).contains(apiPort) else { throw ValidationError("--api-port must be from 0 to 65535") }
        guard flushInterval > 0 && flushInterval <= 3600 else {
            throw ValidationError("--flush-interval must be from 0 to 3600 seconds")
        }
    }

    func run() async throws {
        let directory = try location.resolve()
        if rebuild {
            let outcome: LibraryRebuild.Outcome
            do { outcome = try LibraryRebuild.run(directory: directory) } catch {
                throw CLIError.input(error.description)
            }
            if let movedTo = outcome.movedTo { Terminal.writeToStandardError("moved the old database to \(movedTo)\n") }
            Terminal.writeToStandardError(
                "rebuilt the library: \(outcome.restoredTorrents) torrents (their data will be re-checked)"
                    + (outcome.skippedFiles > 0 ? ", \(outcome.skippedFiles) unreadable copies skipped" : "") + "\n")
        }
        var logger = Logger(label: "shoal.node")
        logger.logLevel = verbose ? .debug : .notice
        let settings = NodeSettings(
            peerHost: bind, peerPort: port, flushInterval: .milliseconds(Int(flushInterval * 1000)),
            maximumUploadRate: maxUploadRate?.limit, maximumDownloadRate: maxDownloadRate?.limit,
            dhtEnabled: !dht.disabled, dhtBootstrapNodes: dht.bootstrap.isEmpty ? nil : dht.bootstrap.map(\.address),
            lsdEnabled: !lsd.disabled, lsdPort: lsd.port)
        let node: Node
        do { node = try Node(directory: directory, settings: settings, logger: logger) } catch {
            throw CLIError.input(error.description)
        }
        do { try await node.start() } catch {
            node.requestStop()
            await node.run()
            throw CLIError.input(error.description)
        }
        // Before the ready lines: a Ctrl-C from then on must stop the node gracefully.
        let signals = StopSignals { _ in node.requestStop() }
        defer { signals.restoreDefaults() }
        print("data in \(directory.path)")
        print("peers on \(bind):\(await node.peerPort)")
        if let dhtNode = await node.dht { print("dht port: \(dhtNode.port)") }
        flushStandardOutput()

        let portFile = APIPortFile(directory: directory)
        var apiLogger = Logger(label: "shoal.api")
        apiLogger.logLevel = logger.logLevel
        let controller = NodeController(node: node, version: ShoalVersion.current, apiPort: apiPort)
        let app = ControlServer.makeApplication(
            node: controller, host: apiBind, port: apiPort, logger: apiLogger,
            extraRoutes: { StreamServer.addRoutes(to: $0, catalog: node.streams) },
            onServerRunning: { bound in
                portFile.write(bound)
                print("control API on http://\(apiBind):\(bound)\(ControlAPI.basePath)")
                flushStandardOutput()
            })
        // The API runs in a service group so that it can be shut down gracefully once the node has stopped
        // (after a signal); if the API fails instead (its port is taken), it takes the node down.
        let api = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [], logger: apiLogger))
        let apiFailure = await withTaskGroup(of: String?.self) { group -> String? in
            group.addTask {
                do {
                    try await api.run()
                    return nil
                } catch {
                    node.requestStop()
                    return "\(error)"
                }
            }
            await node.run()
            await api.triggerGracefulShutdown()
            return await group.next() ?? nil
        }
        portFile.remove()
        if let failure = apiFailure {
            throw CLIError.input("cannot serve the control API on \(apiBind):\(apiPort): \(failure)")
        }
    }
}
