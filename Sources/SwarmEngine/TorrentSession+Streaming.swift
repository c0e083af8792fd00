import Swarm
import TorrentModel

/// What streaming asks of a session: deadlines from the playback schedule (docs/streaming.md), waiting for
/// pieces a player asked for, and the figures a watch page shows.
extension TorrentSession {
    /// A caller of `waitForPieces`, with the pieces it still waits for.
    struct PieceWaiter {
        var missing: Set<Int>
        let continuation: CheckedContinuation<Bool, Never>
    }

    /// A peer whose queue would take longer than this many times the best peer's to drain gets no duplicate
    /// requests for urgent pieces: urgent blocks go to the peers expected to deliver them soonest.
    static let urgentDeliveryFactor = 4.0

    /// Applies a deadline schedule: `deadlines` are set (verified pieces are skipped), `cleared` lose theirs and,
    /// with `cancelCleared` (after a seek), their outstanding requests are cancelled so the bandwidth goes to the
    /// new window. Pieces with deadlines before `urgentBefore` may be requested from a second peer. With
    /// `deadlinePiecesOnly`, nothing else is requested until a later call without it.
    public func applyDeadlines(
        _ deadlines: [(piece: Int, deadline: ContinuousClock.Instant)], cleared: [Int], cancelCleared: Bool,
        urgentBefore: ContinuousClock.Instant?, order: DeadlineOrder = .earliestFirst, deadlinePiecesOnly: Bool = false
    ) {
        picker.deadlineOrder = order
        let released = picker.picksOnlyDeadlinePieces && !deadlinePiecesOnly
        picker.picksOnlyDeadlinePieces = deadlinePiecesOnly
        for piece in cleared where piece >= 0 && piece < geometry.pieceCount { picker.clearDeadline(forPiece: piece) }
        for entry in deadlines where entry.piece >= 0 && entry.piece < geometry.pieceCount && !picker.have[entry.piece]
        {
            picker.setDeadline(entry.deadline, forPiece: entry.piece)
        }
        self.urgentBefore = urgentBefore
        if cancelCleared && !cleared.isEmpty { cancelRequests(ofPieces: Set(cleared)) }
        if !deadlines.isEmpty || urgentBefore != nil || released {
            for id in Array(peers.keys) { requestMore(id) }
        }
    }

    /// Makes the requests kept outstanding at each peer, connected now or later, cover `time` at its rate
    /// (`StreamingSettings.requestQueueTime`).
    public func setRequestQueueTime(_ time: Duration) {
        requestQueueConfiguration.queueTime = max(.zero, time)
        for peer in peers.values { peer.queue.setQueueTime(requestQueueConfiguration.queueTime) }
    }

    /// Returns true once every piece of `pieces` is verified; false after `timeout`, or when the session is
    /// closed or its storage failed. Never true for a piece that did not pass its hash check.
    public func waitForPieces(_ pieces: [Int], timeout: Duration) async -> Bool {
        guard pieces.allSatisfy({ $0 >= 0 && $0 < geometry.pieceCount }) else { return false }
        let missing = Set(pieces.filter { !picker.have[$0] })
        if missing.isEmpty { return true }
        if isClosed || storageFailure != nil { return false }
        let ticket = nextPieceWaiter
        nextPieceWaiter += 1
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.expirePieceWaiter(ticket)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            pieceWaiters[ticket] = PieceWaiter(missing: missing, continuation: continuation)
        }
    }

    /// Where each piece stands: had, in flight (requested or being verified) or missing.
    public var pieceStates: [PieceState] { (0..<geometry.pieceCount).map { picker.state(ofPiece: $0) } }

    /// Pieces with deadlines, earliest first.
    public var piecesWithDeadlines: [Int] { picker.piecesWithDeadlines }

    /// Bytes per second over all peers, received and sent (each over the last 20 s).
    public var transferRates: (download: Double, upload: Double) {
        let now = ContinuousClock.now
        var download = 0.0
        var upload = 0.0
        for peer in peers.values {
            download += peer.queue.downloadRate(now: now)
            upload += peer.uploadRate.rate(now: now)
        }
        return (download, upload)
    }

    // MARK: - Inside the session

    /// `piece` was verified: wakes the callers that waited for it last.
    func wakePieceWaiters(verified piece: Int) {
        for (ticket, var waiter) in pieceWaiters where waiter.missing.contains(piece) {
            waiter.missing.remove(piece)
            if waiter.missing.isEmpty {
                pieceWaiters[ticket] = nil
                waiter.continuation.resume(returning: true)
            } else {
                pieceWaiters[ticket] = waiter
            }
        }
    }

    /// The session closed or its storage failed: nobody waits for pieces that will not come.
    func releasePieceWaiters() {
        let waiters = pieceWaiters
        pieceWaiters = [:]
        for waiter in waiters.values { waiter.continuation.resume(returning: false) }
    }

    private func expirePieceWaiter(_ ticket: Int) {
        pieceWaiters.removeValue(forKey: ticket)?.continuation.resume(returning: false)
    }

    /// Cancels every outstanding request for blocks of `pieces` (they lost their deadlines in a seek).
    private func cancelRequests(ofPieces pieces: Set<Int>) {
        let now = ContinuousClock.now
        for (id, peer) in peers {
            for block in picker.outstandingRequests(of: id) where pieces.contains(block.piece) {
                if peer.queue.cancel(block, at: now) { peer.send(.cancel(block)) }
                picker.requestFailed(block, from: id)
            }
        }
    }

    /// Whether urgent blocks may be requested from this peer a second time: not when it is snubbed or its queue
    /// is far slower to drain than the best peer's (libtorrent sends time-critical pieces to the peers with the
    /// lowest expected delivery time too).
    func isFastEnoughForUrgent(_ peer: PeerState, now: ContinuousClock.Instant) -> Bool {
        guard !peer.queue.snubbed(now: now) else { return false }
        let mine = Self.expectedDelivery(peer, now: now)
        var best = mine
        for other in peers.values where other.amInterested && !other.queue.isChoked {
            best = min(best, Self.expectedDelivery(other, now: now))
        }
        return mine <= best * Self.urgentDeliveryFactor
    }

    /// Seconds until the peer's queue would have drained and one more block arrived, at its recent rate.
    private static func expectedDelivery(_ peer: PeerState, now: ContinuousClock.Instant) -> Double {
        let rate = max(peer.queue.downloadRate(now: now), Double(TorrentLimits.blockSize))
        return Double(peer.queue.outstandingBytes + TorrentLimits.blockSize) / rate
    }
}
