import PeerWire
import Swarm
import TorrentModel

/// What a session knows about one connected peer. Lives inside `TorrentSession`; never shared.
struct PeerState {
    let handshake: Handshake
    let identity: PeerIdentity
    let address: PeerAddress?
    let connectedAt: ContinuousClock.Instant
    /// Blocks queued for the peer's socket (see `UploadBacklog`).
    let backlog: UploadBacklog
    /// Frames to the peer; the connection's writer task drains it. Finishing it closes the connection.
    let outbound: OutboundQueue
    var pieces: PeerPieces
    var queue: PeerRequestQueue
    var amInterested = false
    var amChoking = true
    var peerInterested = false
    /// The peer's ID for `ut_metadata` messages (BEP 9), from its extension handshake.
    var metadataExtensionID: UInt8?
    /// Payload we sent the peer, for the choker's seeding and upload-rate decisions.
    var uploadRate = RateEstimator()

    /// The peer has every piece: it never needs our uploads.
    var isSeed: Bool {
        switch pieces {
        case .all: return true
        case .bitfield(let bits): return bits.isComplete
        }
    }

    var supportsFastExtension: Bool { handshake.reserved.contains(.fastExtension) }

    func send(_ message: PeerMessage) { outbound.yield(.message(message)) }
}
