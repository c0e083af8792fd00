import ArgumentParser
import DHTNode
import TorrentModel

/// `--no-dht` and `--dht-bootstrap`, shared by every command that joins swarms.
struct DHTOptions: ParsableArguments {
    @Flag(name: .customLong("no-dht"), help: "Use no Mainline DHT: peers only from trackers, PEX and --peer.")
    var disabled = false

    @Option(
        name: .customLong("dht-bootstrap"),
        help: ArgumentHelp(
            "A DHT node to join the DHT through (HOST:PORT); repeatable.",
            discussion: """
                Default: router.bittorrent.com, dht.transmissionbt.com and router.utorrent.com (port 6881), \
                or none when the peer address is a loopback address (a loopback socket cannot reach them).
                """))
    var bootstrap: [PeerArgument] = []

    /// The bootstrap nodes for a node listening on `host`.
    func bootstrapNodes(listeningOn host: String) -> [PeerAddress] {
        bootstrap.isEmpty ? DHTNodeSettings.defaultBootstrapNodes(listeningOn: host) : bootstrap.map(\.address)
    }
}
