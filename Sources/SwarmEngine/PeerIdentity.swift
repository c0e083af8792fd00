import PeerWire

/// Who a peer is for trust and bans: its IP address. On loopback every local peer shares one address,
/// so there the peer ID is part of the identity too (otherwise banning one local process would ban all).
struct PeerIdentity: Hashable, Sendable, CustomStringConvertible {
    let host: String
    let peerID: PeerID?

    init(host: String?, peerID: PeerID) {
        let host = host ?? "unknown"
        self.host = host
        let isLoopback = host.hasPrefix("127.") || host == "::1" || host == "unknown"
        self.peerID = isLoopback ? peerID : nil
    }

    var description: String { peerID.map { "\(host) (\($0))" } ?? host }
}
