import ArgumentParser
import TorrentModel

/// A `--peer HOST:PORT` value (`[v6]:port` for IPv6).
struct PeerArgument: ExpressibleByArgument, Sendable {
    var address: PeerAddress

    init?(argument: String) {
        guard let address = PeerAddress(argument), address.port != 0 else { return nil }
        self.address = address
    }
}
