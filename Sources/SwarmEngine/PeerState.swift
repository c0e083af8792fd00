import PeerWire
import Swarm
import TorrentModel

/// What a session knows about one connected peer. Lives inside `TorrentSession` (isolated to it) and never
/// leaves it. A class, so that looking a peer up costs one retain instead of a copy of every field, and its
/// request queue changes in place.
final class PeerState {
    let handshake: Handshake
    let identity: PeerIdentity
    let address: PeerAddress?
    let connectedAt: ContinuousClock.Instant
    /// Who dialed: for telling which of two connections to one peer both ends keep.
    let dialer: PeerID
    /// How we learned of the peer (`.incoming` when it dialed us).
    let source: PeerSource
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
    /// The peer's ID for `ut_pex` messages (BEP 11), from its extension handshake.
    var pexExtensionID: UInt8?
    /// The peer's ID for `shoal_deadline` messages, from its extension handshake.
    var deadlineExtensionID: UInt8?
    /// When the peer needs pieces, as it told us (`shoal_deadline`): its requests are served in that order.
    var needs = PeerDeadlines()
    /// The deadlines we told the peer, so that each is told once.
    var toldDeadlines = PeerDeadlines()
    /// The port the peer listens on (`p` in its extension handshake).
    var listenPort: UInt16?
    /// Peer exchange with this peer, from its extension handshake on (never for a private torrent).
    var pex: PEXState<PeerAddress>?
    /// Payload we sent the peer, for the choker's seeding and upload-rate decisions.
    var uploadRate = RateEstimator()
    /// Pieces the peer refused (BEP 6 `reject request`) and when: not asked of it again for
    /// `SwarmSettings.rejectedPieceBackoff`.
    var rejectedPieces: [Int: ContinuousClock.Instant] = [:]

    init(
        handshake: Handshake, identity: PeerIdentity, address: PeerAddress?, dialer: PeerID, source: PeerSource,
        connectedAt: ContinuousClock.Instant,
        backlog: UploadBacklog, outbound: OutboundQueue, pieces: PeerPieces, queue: PeerRequestQueue
    ) {
        self.handshake = handshake
        self.identity = identity
        self.address = address
        self.dialer = dialer
        self.source = source
        self.connectedAt = connectedAt
        self.backlog = backlog
        self.outbound = outbound
        self.pieces = pieces
        self.queue = queue
    }

    /// The peer has every piece: it never needs our uploads.
    var isSeed: Bool {
        switch pieces {
        case .all: return true
        case .bitfield(let bits): return bits.isComplete
        }
    }

    /// Records a `have`; false if the peer already had the piece. Changes the bitfield in place.
    func addPiece(_ piece: Int) -> Bool {
        guard case .bitfield(var bits) = pieces, !bits[piece] else { return false }
        // Drop the stored reference first, so the bitfield is not copied on write.
        pieces = .all
        bits[piece] = true
        pieces = .bitfield(bits)
        return true
    }

    /// The peer's pieces less those it refused lately.
    func requestablePieces(now: ContinuousClock.Instant, pieceCount: Int) -> PeerPieces {
        guard !rejectedPieces.isEmpty else { return pieces }
        rejectedPieces = rejectedPieces.filter { now - $0.value < SwarmSettings.rejectedPieceBackoff }
        guard !rejectedPieces.isEmpty else { return pieces }
        var bits: Bitfield
        switch pieces {
        case .all: bits = Bitfield(count: pieceCount, allSet: true)
        case .bitfield(let have): bits = have
        }
        for piece in rejectedPieces.keys where piece < bits.count { bits[piece] = false }
        return .bitfield(bits)
    }

    /// Where the peer accepts connections: the address we dialed, or for a peer that dialed us its IP with
    /// the port from its extension handshake; nil when not known.
    var listenAddress: PeerAddress? {
        guard let address else { return nil }
        if source != .incoming { return address }
        return listenPort.map { PeerAddress(host: address.host, port: $0) }
    }

    var supportsFastExtension: Bool { handshake.reserved.contains(.fastExtension) }

    func send(_ message: PeerMessage) { outbound.yield(.message(message)) }
}
