import ArgumentParser
import LocalDiscoveryService

/// `--no-lsd` and `--lsd-port`: Local Service Discovery (BEP 14) for the commands that join swarms.
struct LSDOptions: ParsableArguments {
    @Flag(name: .customLong("no-lsd"), help: "Do not announce torrents on the LAN or look for peers there (BEP 14).")
    var disabled = false

    @Option(
        name: .customLong("lsd-port"),
        help: ArgumentHelp(
            "UDP port of the LAN discovery group (default 6771, BEP 14's).",
            discussion: """
                On a loopback --bind, LAN discovery runs only with this option: loopback is no LAN, and processes \
                on one machine (tests) keep to a group port of their own.
                """))
    var port: Int?

    func validate() throws {
        if let port, !(1...65535).contains(port) { throw ValidationError("--lsd-port must be from 1 to 65535") }
    }

    /// The service's settings for a peer listener on `host`; nil when LSD is off (`--no-lsd`, or
    /// `LSDServiceSettings.forPeerListener`'s rules: IPv6, loopback without `--lsd-port`).
    func settings(listeningOn host: String) -> LSDServiceSettings? {
        disabled ? nil : LSDServiceSettings.forPeerListener(host: host, port: port)
    }
}
