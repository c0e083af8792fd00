import TorrentModel

/// `pickBlocks`: the order in which blocks are handed out (see docs/piece-picker.md).
extension PiecePicker {
    /// Picks up to `count` blocks to request from `peer` and records them as requested by it.
    ///
    /// Order: (1) pieces with deadlines, earliest first; (2) pieces already being downloaded that still
    /// have open blocks, those this peer already has requests in first, then by priority (high first),
    /// availability (low first) and index; (3) while fewer than `settings.randomFirstPieces` pieces are
    /// had, open pieces at random, highest priority first; (4) open pieces rarest-first: highest
    /// priority first, then lowest availability, ties broken at random; (5) in endgame, blocks already
    /// requested from other peers, fewest requesters first. Pieces with priority 0 are never picked.
    /// A block already requested is picked again only in (5), or in (1) for a piece whose deadline is
    /// before `urgentBefore` (up to `settings.urgentRequestsPerBlock` peers per block) when `urgentDuplicates`
    /// allows it. Without, the peer still takes urgent pieces first, but only blocks nobody was asked for: a slow
    /// peer that has an urgent piece nobody else sends should be asked for it before anything further ahead.
    ///
    /// The engine must have counted the peer's pieces in (`peerJoined(with:)` or `peerHas`) first.
    public mutating func pickBlocks<Random: RandomNumberGenerator>(
        for peer: Peer, from pieces: PeerPieces, count: Int, urgentBefore: ContinuousClock.Instant? = nil,
        urgentDuplicates: Bool = true, using random: inout Random
    ) -> [BlockRange] {
        if case .bitfield(let bitfield) = pieces {
            precondition(bitfield.count == pieceCount, "peer bitfield has \(bitfield.count) bits, not \(pieceCount)")
        }
        var picked: [BlockRange] = []
        guard count > 0 else { return picked }
        picked.reserveCapacity(count)
        if deadlineOrder == .rarestWithinWindow {
            pickWindowRarestFirst(
                for: peer, from: pieces, limit: count, urgentBefore: urgentBefore, duplicates: urgentDuplicates,
                random: &random, into: &picked)
        } else {
            pickDeadlinePieces(
                for: peer, from: pieces, limit: count, urgentBefore: urgentDuplicates ? urgentBefore : nil,
                into: &picked)
        }
        if picksOnlyDeadlinePieces { return picked }
        if picked.count < count {
            pickPartialPieces(for: peer, from: pieces, limit: count, into: &picked)
        }
        if picked.count < count {
            let randomOrder = haveCount < settings.randomFirstPieces
            pickOpenPieces(
                for: peer, from: pieces, limit: count, randomOrder: randomOrder, random: &random, into: &picked)
        }
        if picked.count < count && isInEndgame {
            pickEndgameDuplicates(for: peer, from: pieces, limit: count, into: &picked)
        }
        return picked
    }

    // MARK: Phases

    /// O(D + blocks picked).
    private mutating func pickDeadlinePieces(
        for peer: Peer, from pieces: PeerPieces, limit: Int, urgentBefore: ContinuousClock.Instant?,
        into picked: inout [BlockRange]
    ) {
        for entry in deadlineQueue {
            guard picked.count < limit else { return }
            let piece = entry.piece
            guard availability.priorities[piece].isWanted, states[piece] == .missing || states[piece] == .downloading,
                pieces.contains(piece)
            else { continue }
            let urgent = urgentBefore.map { entry.deadline < $0 } ?? false
            requestBlocks(
                inPiece: piece, for: peer, maxRequesters: urgent ? settings.urgentRequestsPerBlock : 1, limit: limit,
                into: &picked)
        }
    }

    /// `DeadlineOrder.rarestWithinWindow`: urgent pieces by (deadline, availability), from a seed by (availability,
    /// deadline); then the rest by availability,
    /// ties at random (watchers at the same place must not all ask the origin for the same piece); and only then,
    /// with slots to spare, second requests for urgent blocks. O(D log D + blocks picked).
    private mutating func pickWindowRarestFirst<Random: RandomNumberGenerator>(
        for peer: Peer, from pieces: PeerPieces, limit: Int, urgentBefore: ContinuousClock.Instant?, duplicates: Bool,
        random: inout Random, into picked: inout [BlockRange]
    ) {
        var urgent: [(deadline: ContinuousClock.Instant, availability: Int32, piece: Int)] = []
        var window: [(availability: Int32, tieBreak: UInt32, piece: Int)] = []
        for entry in deadlineQueue {
            let piece = entry.piece
            guard availability.priorities[piece].isWanted, states[piece] == .missing || states[piece] == .downloading,
                pieces.contains(piece)
            else { continue }
            let count = availability.peerCounts[piece]
            if let urgentBefore, entry.deadline < urgentBefore {
                urgent.append((entry.deadline, count, piece))
            } else {
                window.append((count, UInt32.random(in: 0...UInt32.max, using: &random), piece))
            }
        }
        if case .all = pieces {
            // From a seed (the origin, typically), urgent pieces rarest first too: the ones other peers also have
            // can come from them, and the seed's upload is best spent on what nobody else can send.
            urgent.sort { ($0.availability, $0.deadline, $0.piece) < ($1.availability, $1.deadline, $1.piece) }
        } else {
            urgent.sort { ($0.deadline, $0.availability, $0.piece) < ($1.deadline, $1.availability, $1.piece) }
        }
        for entry in urgent {
            guard picked.count < limit else { return }
            requestBlocks(inPiece: entry.piece, for: peer, maxRequesters: 1, limit: limit, into: &picked)
        }
        window.sort { ($0.availability, $0.tieBreak) < ($1.availability, $1.tieBreak) }
        for entry in window {
            guard picked.count < limit else { return }
            requestBlocks(inPiece: entry.piece, for: peer, maxRequesters: 1, limit: limit, into: &picked)
        }
        // Duplicates cost upload the swarm may lack (in the streaming benchmark they were a third of what watchers
        // sent): only a peer with nothing outstanding and nothing else to fetch is asked for an urgent block again.
        guard duplicates, picked.isEmpty, requestsByPeer[peer]?.isEmpty ?? true, settings.urgentRequestsPerBlock > 1
        else { return }
        for entry in urgent {
            guard picked.count < limit else { return }
            requestBlocks(
                inPiece: entry.piece, for: peer, maxRequesters: settings.urgentRequestsPerBlock, limit: limit,
                into: &picked)
        }
    }

    /// O(P log P), P = pieces being downloaded.
    private mutating func pickPartialPieces(
        for peer: Peer, from pieces: PeerPieces, limit: Int, into picked: inout [BlockRange]
    ) {
        // Sort key: this peer's own pieces first, then priority (high first), availability, index.
        var candidates: [(notMine: Int, level: Int, availability: Int32, piece: Int)] = []
        for progress in downloads where progress.openCount > 0 {
            let piece = progress.piece
            let priority = availability.priorities[piece]
            guard states[piece] == .downloading, priority.isWanted, pieces.contains(piece) else { continue }
            candidates.append((1, -Int(priority.level), availability.peerCounts[piece], piece))
        }
        guard !candidates.isEmpty else { return }
        if let keys = requestsByPeer[peer] {
            let mine = Set(keys.map { Int($0.piece) })
            for index in candidates.indices where mine.contains(candidates[index].piece) {
                candidates[index].notMine = 0
            }
        }
        candidates.sort {
            ($0.notMine, $0.level, $0.availability, $0.piece) < ($1.notMine, $1.level, $1.availability, $1.piece)
        }
        for candidate in candidates {
            guard picked.count < limit else { return }
            requestBlocks(inPiece: candidate.piece, for: peer, maxRequesters: 1, limit: limit, into: &picked)
        }
    }

    /// Starts open pieces, random or rarest-first.
    private mutating func pickOpenPieces<Random: RandomNumberGenerator>(
        for peer: Peer, from pieces: PeerPieces, limit: Int, randomOrder: Bool, random: inout Random,
        into picked: inout [BlockRange]
    ) {
        let chosen = availability.chooseOpenPieces(
            for: pieces, needBlocks: limit - picked.count, randomOrder: randomOrder, geometry: geometry,
            random: &random)
        for piece in chosen {
            guard picked.count < limit else { return }
            requestBlocks(inPiece: piece, for: peer, maxRequesters: 1, limit: limit, into: &picked)
        }
    }

    /// O(P × B).
    private mutating func pickEndgameDuplicates(
        for peer: Peer, from pieces: PeerPieces, limit: Int, into picked: inout [BlockRange]
    ) {
        let maxRequesters = settings.endgameRequestsPerBlock
        guard maxRequesters > 1 else { return }
        for requesters in 1..<maxRequesters {
            for slot in downloads.indices {
                let piece = downloads[slot].piece
                let wanted = availability.priorities[piece].isWanted
                guard states[piece] == .downloading, wanted, pieces.contains(piece) else { continue }
                requestDuplicates(slot: slot, requestedFrom: requesters, for: peer, limit: limit, into: &picked)
                guard picked.count < limit else { return }
            }
        }
    }

    // MARK: Requests

    /// Requests the piece's open blocks in order, then (when `maxRequesters` > 1) blocks other peers
    /// were asked for, fewest requesters first.
    private mutating func requestBlocks(
        inPiece piece: Int, for peer: Peer, maxRequesters: Int, limit: Int, into picked: inout [BlockRange]
    ) {
        let slot = states[piece] == .missing ? startDownload(piece) : Int(downloadSlots[piece])
        if downloads[slot].openCount > 0 {
            for index in downloads[slot].blocks.indices {
                guard picked.count < limit else { return }
                guard case .open = downloads[slot].blocks[index] else { continue }
                addRequest(slot: slot, block: index, peer: peer, into: &picked)
            }
        }
        guard maxRequesters > 1 else { return }
        for requesters in 1..<maxRequesters {
            requestDuplicates(slot: slot, requestedFrom: requesters, for: peer, limit: limit, into: &picked)
        }
    }

    /// Asks `peer` for the blocks of the download in `slot` that exactly `requesters` other peers were asked
    /// for (endgame duplicates), in block order, until `picked` holds `limit`.
    private mutating func requestDuplicates(
        slot: Int, requestedFrom requesters: Int, for peer: Peer, limit: Int, into picked: inout [BlockRange]
    ) {
        for index in downloads[slot].blocks.indices {
            guard picked.count < limit else { return }
            guard case .requested(let peers) = downloads[slot].blocks[index], peers.count == requesters,
                !peers.contains(peer)
            else { continue }
            addRequest(slot: slot, block: index, peer: peer, into: &picked)
        }
    }

    private mutating func addRequest(slot: Int, block index: Int, peer: Peer, into picked: inout [BlockRange]) {
        let piece = downloads[slot].piece
        downloads[slot].addRequest(block: index, peer: peer)
        requestsByPeer[peer, default: []].insert(BlockKey(piece: Int32(piece), block: Int32(index)))
        picked.append(blockRange(piece: piece, block: index))
    }
}
