import TorrentModel

/// Decides which blocks to request from which peer: deadlines first, then partial pieces, then (at the
/// start) random pieces, then rarest-first with random tie-breaks, and endgame duplicates at the end.
/// `docs/piece-picker.md` writes the order, the data structure and the cost of every call down.
///
/// Pure and single-owner: the engine's torrent session holds one and tells it everything that happens
/// (peers' pieces, requests sent, blocks received, hash results). `Peer` is whatever handle the engine
/// uses for a connection.
public struct PiecePicker<Peer: Hashable & Sendable>: Sendable {
    public let geometry: PieceGeometry
    public let settings: SwarmSettings.Picker
    /// The verified pieces, in the shape the engine sends as BITFIELD.
    public internal(set) var have: Bitfield
    /// Pieces with priority > 0 that are not had: what makes a peer interesting.
    var wanted: Bitfield

    var states: [PieceState]
    /// Availability, priorities and the open pieces in picking order.
    var availability: PieceAvailability

    /// Pieces being downloaded or waiting for their hash check, in no order; swap-removed.
    var downloads: [PieceProgress<Peer>] = []
    /// Each piece's index in `downloads`, -1 when it has none.
    var downloadSlots: [Int32]
    /// The blocks each peer has been asked for.
    var requestsByPeer: [Peer: Set<BlockKey>] = [:]

    var deadlines: [Int: ContinuousClock.Instant] = [:]
    /// The same deadlines, sorted.
    var deadlineQueue: [PieceDeadline] = []
    /// How pieces with deadlines that are not urgent are ordered (see `DeadlineOrder`).
    public var deadlineOrder = DeadlineOrder.earliestFirst
    /// When set, only pieces with deadlines are picked: a watcher that does not know yet where the video's
    /// segments are asks for its playlists and nothing else, so no peer's bandwidth goes to pieces picked at random
    /// while the first segment waits behind them.
    public var picksOnlyDeadlinePieces = false

    /// A picker for a torrent with the given geometry, `have` the verified pieces on disk (resume).
    public init(geometry: PieceGeometry, have: Bitfield? = nil, settings: SwarmSettings.Picker = .standard) {
        let count = geometry.pieceCount
        let had = have ?? Bitfield(count: count)
        precondition(had.count == count, "have bitfield has \(had.count) bits for \(count) pieces")
        self.geometry = geometry
        self.settings = settings
        self.have = had
        self.states = (0..<count).map { had[$0] ? .had : .missing }
        self.availability = PieceAvailability(pieceCount: count)
        self.downloadSlots = Array(repeating: -1, count: count)
        self.wanted = Bitfield(count: count)
        resetPriorities(Array(repeating: .normal, count: count))
    }

    // MARK: Queries

    public var pieceCount: Int { states.count }
    public var haveCount: Int { have.setCount }
    /// Pieces with priority > 0 not yet verified.
    public var wantedRemaining: Int { wanted.setCount }
    /// Every wanted piece is had (a torrent with everything skipped is complete at once).
    public var isComplete: Bool { wanted.setCount == 0 }

    public func state(ofPiece piece: Int) -> PieceState { states[piece] }
    public func priority(ofPiece piece: Int) -> PiecePriority { availability.priorities[piece] }
    /// How many connected peers have the piece, seeds included.
    public func availability(ofPiece piece: Int) -> Int { availability.availability(ofPiece: piece) }
    /// Peers that have every piece, counted apart from the others.
    public var seedCount: Int { availability.seedCount }

    /// Whether we want this piece from anyone: priority > 0 and not had. O(1); the engine can keep a
    /// per-peer count of wanted pieces up to date with it as HAVE messages arrive.
    public func wants(piece: Int) -> Bool { wanted[piece] }

    /// Whether the peer has a piece we want. O(1) for a seed; for a bitfield a byte-wise scan that stops
    /// at the first match, O(n/8) at worst (12.5 KB for 100,000 pieces), which happens near the end.
    public func isInteresting(_ pieces: PeerPieces) -> Bool {
        switch pieces {
        case .all:
            return wanted.setCount > 0
        case .bitfield(let bitfield):
            precondition(bitfield.count == pieceCount, "peer bitfield has \(bitfield.count) bits, not \(pieceCount)")
            guard wanted.setCount > 0 && bitfield.setCount > 0 else { return false }
            return wanted.bytes.withUnsafeBufferPointer { ours in
                bitfield.bytes.withUnsafeBufferPointer { theirs in
                    for index in ours.indices where ours[index] & theirs[index] != 0 { return true }
                    return false
                }
            }
        }
    }

    /// The blocks of a piece being downloaded, nil when nothing of it is requested or received.
    public func blockStates(ofPiece piece: Int) -> [BlockState<Peer>]? {
        let slot = downloadSlots[piece]
        return slot < 0 ? nil : downloads[Int(slot)].blocks
    }

    /// The blocks the peer has been asked for and not yet delivered, by piece and offset.
    public func outstandingRequests(of peer: Peer) -> [BlockRange] {
        (requestsByPeer[peer] ?? []).sorted().map { blockRange(piece: Int($0.piece), block: Int($0.block)) }
    }

    public func outstandingRequestCount(of peer: Peer) -> Int { requestsByPeer[peer]?.count ?? 0 }

    /// True when every block of every wanted piece that someone has is requested or received: from now
    /// on blocks may be requested from several peers (up to `settings.endgameRequestsPerBlock`).
    /// O(L + P): L = 7 levels, P = pieces being downloaded.
    public var isInEndgame: Bool {
        guard availability.availableOpenCount == 0 else { return false }
        var downloading = false
        for progress in downloads where states[progress.piece] == .downloading {
            let piece = progress.piece
            if progress.openCount > 0 && availability.priorities[piece].isWanted
                && availability.availability(ofPiece: piece) > 0
            {
                return false
            }
            downloading = true
        }
        return downloading
    }

    // MARK: Shared helpers

    func blockRange(piece: Int, block: Int) -> BlockRange {
        let offset = block * TorrentLimits.blockSize
        return BlockRange(
            piece: piece, offset: offset, length: min(TorrentLimits.blockSize, geometry.length(ofPiece: piece) - offset)
        )
    }

    /// Sets every priority; rebuilds the open pieces and the wanted bits. O(n + A).
    mutating func resetPriorities(_ priorities: [PiecePriority]) {
        availability.reset(priorities: priorities) { states[$0] == .missing }
        for piece in 0..<pieceCount { wanted[piece] = states[piece] != .had && priorities[piece].isWanted }
    }

    /// Moves an open piece into the downloads. O(A) for leaving its level.
    mutating func startDownload(_ piece: Int) -> Int {
        precondition(states[piece] == .missing, "piece \(piece) is started while \(states[piece])")
        availability.close(piece)
        states[piece] = .downloading
        downloadSlots[piece] = Int32(downloads.count)
        downloads.append(PieceProgress(piece: piece, blockCount: geometry.blockCount(inPiece: piece)))
        return downloads.count - 1
    }

    /// Forgets a piece's download record. The caller has removed its requests.
    mutating func endDownload(_ piece: Int) {
        let slot = Int(downloadSlots[piece])
        precondition(slot >= 0, "piece \(piece) has no download")
        let last = downloads.count - 1
        if slot != last {
            downloads.swapAt(slot, last)
            downloadSlots[downloads[slot].piece] = Int32(slot)
        }
        downloads.removeLast()
        downloadSlots[piece] = -1
    }

    /// A piece whose download ended without data goes back to the open pieces.
    mutating func returnToMissing(_ piece: Int) {
        states[piece] = .missing
        availability.open(piece)
    }
}
