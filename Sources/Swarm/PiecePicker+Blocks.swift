import TorrentModel

/// What happens to requests and blocks after they are picked: arrivals, failures, hash results.
extension PiecePicker {
    /// A block arrived from `peer`. Other peers asked for the same block are returned as cancels.
    /// O(B + R), B = blocks in the piece, R = requesters of the block.
    public mutating func blockReceived(_ block: BlockRange, from peer: Peer) -> BlockReceipt<Peer> {
        guard geometry.isValidBlock(piece: block.piece, offset: block.offset, length: block.length) else {
            return BlockReceipt(outcome: .invalid)
        }
        let piece = block.piece
        let index = block.offset / TorrentLimits.blockSize
        switch states[piece] {
        case .had, .complete:
            return BlockReceipt(outcome: .duplicate)
        case .missing:
            // Unasked data for a wanted piece is still useful (a peer may answer a request we cancelled).
            guard availability.priorities[piece].isWanted else { return BlockReceipt(outcome: .unwanted) }
            _ = startDownload(piece)
        case .downloading:
            break
        }
        let slot = Int(downloadSlots[piece])
        if case .received = downloads[slot].blocks[index] { return BlockReceipt(outcome: .duplicate) }
        let key = BlockKey(piece: Int32(piece), block: Int32(index))
        dropRequestKey(key, of: peer)
        let others = downloads[slot].receive(block: index, from: peer)
        var cancels: [BlockCancellation<Peer>] = []
        for other in others {
            dropRequestKey(key, of: other)
            cancels.append(BlockCancellation(peer: other, block: block))
        }
        guard downloads[slot].isComplete else { return BlockReceipt(outcome: .accepted, cancels: cancels) }
        states[piece] = .complete
        return BlockReceipt(outcome: .accepted, pieceComplete: true, cancels: cancels)
    }

    /// A request will not be answered: the peer rejected it (BEP 6), it timed out, or we cancelled it.
    /// The block opens again unless another peer was asked too.
    public mutating func requestFailed(_ block: BlockRange, from peer: Peer) {
        let key = BlockKey(piece: Int32(block.piece), block: Int32(block.offset / TorrentLimits.blockSize))
        guard requestsByPeer[peer]?.contains(key) == true else { return }
        dropRequestKey(key, of: peer)
        releaseBlock(key, of: peer)
    }

    /// The peer choked us and its requests are void (without BEP 6 a choke drops all of them).
    /// Returns the released blocks. O(k log k + A), k = the peer's requests.
    @discardableResult
    public mutating func peerChoked(_ peer: Peer) -> [BlockRange] {
        releaseAllRequests(of: peer)
    }

    /// The peer is gone: its requests open again. Its pieces are counted out separately with
    /// `peerLeft(with:)` / `peerLost(_:)` / `seedLeft()`.
    @discardableResult
    public mutating func peerDisconnected(_ peer: Peer) -> [BlockRange] {
        releaseAllRequests(of: peer)
    }

    /// The engine checked the piece's hash and stored it (or found it on disk). Returns requests still
    /// out for it, to cancel. O(A + D) at most.
    @discardableResult
    public mutating func pieceVerified(_ piece: Int) -> [BlockCancellation<Peer>] {
        guard states[piece] != .had else { return [] }
        var cancels: [BlockCancellation<Peer>] = []
        if downloadSlots[piece] >= 0 {
            cancels = dropAllRequests(ofPiece: piece)
            endDownload(piece)
        }
        availability.close(piece)
        states[piece] = .had
        have[piece] = true
        wanted[piece] = false
        clearDeadline(forPiece: piece)
        return cancels
    }

    /// The piece's hash did not match (or a had piece turned out damaged): it is missing again.
    /// Returns the peers that sent its blocks, so the engine can distrust them. Requests still out for
    /// it are dropped; callers that still need to cancel them can read `outstandingRequests` first.
    @discardableResult
    public mutating func pieceFailed(_ piece: Int) -> Set<Peer> {
        var contributors: Set<Peer> = []
        switch states[piece] {
        case .missing:
            return []
        case .downloading, .complete:
            let slot = Int(downloadSlots[piece])
            contributors = downloads[slot].contributors
            _ = dropAllRequests(ofPiece: piece)
            endDownload(piece)
        case .had:
            have[piece] = false
        }
        wanted[piece] = availability.priorities[piece].isWanted
        returnToMissing(piece)
        return contributors
    }

    // MARK: Helpers

    mutating func dropRequestKey(_ key: BlockKey, of peer: Peer) {
        requestsByPeer[peer]?.remove(key)
        if requestsByPeer[peer]?.isEmpty == true { requestsByPeer[peer] = nil }
    }

    /// Removes `peer` as a requester of the block; a piece left with nothing requested or received
    /// returns to the open pieces.
    private mutating func releaseBlock(_ key: BlockKey, of peer: Peer) {
        let piece = Int(key.piece)
        let slot = Int(downloadSlots[piece])
        guard slot >= 0 else { return }
        downloads[slot].removeRequest(block: Int(key.block), peer: peer)
        if downloads[slot].isIdle {
            endDownload(piece)
            returnToMissing(piece)
        }
    }

    private mutating func releaseAllRequests(of peer: Peer) -> [BlockRange] {
        guard let keys = requestsByPeer.removeValue(forKey: peer) else { return [] }
        // Sorted so the order pieces return to their levels, and so later picks, is reproducible.
        let sorted = keys.sorted()
        for key in sorted { releaseBlock(key, of: peer) }
        return sorted.map { blockRange(piece: Int($0.piece), block: Int($0.block)) }
    }

    /// Forgets every request for the piece's blocks; returns them as cancels.
    private mutating func dropAllRequests(ofPiece piece: Int) -> [BlockCancellation<Peer>] {
        let slot = Int(downloadSlots[piece])
        var cancels: [BlockCancellation<Peer>] = []
        for index in downloads[slot].blocks.indices {
            let key = BlockKey(piece: Int32(piece), block: Int32(index))
            for peer in downloads[slot].requesters(ofBlock: index) {
                dropRequestKey(key, of: peer)
                downloads[slot].removeRequest(block: index, peer: peer)
                cancels.append(BlockCancellation(peer: peer, block: blockRange(piece: piece, block: index)))
            }
        }
        return cancels
    }
}
