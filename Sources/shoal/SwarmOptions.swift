import ArgumentParser
import Logging
import NIOCore
import SwarmEngine

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// The options `download` and `seed` share: where to listen, whom to dial, how fast, how chatty.
struct SwarmOptions: ParsableArguments {
    @Option(help: "TCP port to listen on for peers; 0 picks a free one (the chosen port is printed).")
    var port: Int = 6881

    @Option(help: "Address to listen on; peer connections and tracker announces leave from it too.")
    var bind: String = "0.0.0.0"

    @Option(name: .customLong("peer"), help: "Connect to this peer (HOST:PORT); repeatable. No tracker needed.")
    var peers: [PeerArgument] = []

    @Option(help: "Upload limit in bytes per second, e.g. 500k or 2M (0: none).")
    var maxUploadRate: TransferRate?

    @OptionGroup(title: "DHT options") var dht: DHTOptions

    @OptionGroup(title: "LAN discovery options") var lsd: LSDOptions

    @Flag(name: [.short, .long], help: "Print no progress.")
    var quiet = false

    @Flag(name: [.short, .long], help: "Log connections and tracker traffic to stderr.")
    var verbose = false

    @Option(
        help: ArgumentHelp(
            "Log this level and above: trace, debug, info, notice, warning, error or critical (default: warning; info with --verbose).",
            discussion: "trace logs every request, block, choke, refusal and segment, stamped to the millisecond."))
    var logLevel: Logger.Level?

    /// The engine's and trackers' logger: warnings only, unless `--verbose` or `--log-level`.
    var logger: Logger {
        var logger = Logger(label: "shoal")
        logger.logLevel = logLevel ?? (verbose ? .info : .warning)
        return logger
    }

    /// Where dials and announces leave from: the `--bind` address, unless it is a wildcard.
    var outgoingAddress: SocketAddress? { EngineSettings.outgoingAddress(forListenHost: bind) }

    /// Whether the DHT can be searched: it is on and has a way in.
    var canSearchDHT: Bool { !dht.disabled && !dht.bootstrapNodes(listeningOn: bind).isEmpty }

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
    }
}
