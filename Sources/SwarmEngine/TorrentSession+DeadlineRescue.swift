import Swarm

/// A peer about to stall asks the peers that choke it for the pieces it needs within the upload horizon, and an
/// uploader unchokes it between rounds (`SwarmSettings.deadlineRescueSlots`). Regular slots go by trade, so a
/// watcher that has nothing its peers lack may be left with one slow peer sending its next segment while others have
/// it; the next choker round decides as usual (docs/choking-and-requests.md).
extension TorrentSession {
    /// As a downloader, tells each peer that chokes us and has pieces we need within `uploadDeadlineHorizon` (urgent
    /// ones: deadline before `urgentBefore`) when they are due, once per piece and peer (`tellDeadlines`).
    func askChokingHoldersForDuePieces(now: ContinuousClock.Instant) {
        guard let urgentBefore, storageFailure == nil, !picker.isComplete else { return }
        let due = picker.missingPieces(dueBefore: min(urgentBefore, now + SwarmSettings.uploadDeadlineHorizon))
        guard !due.isEmpty else { return }
        for peer in peers.values where peer.queue.isChoked && peer.deadlineExtensionID != nil {
            let theirs = due.lazy.filter { peer.pieces.contains($0) }.prefix(SwarmSettings.deadlineRescuePieces)
            if !theirs.isEmpty { tellDeadlines(ofPieces: Array(theirs), to: peer, now: now) }
        }
    }

    /// As an uploader, unchokes a peer we choke that told us it needs a piece we have within `uploadDeadlineHorizon`,
    /// while fewer than `deadlineRescueSlots` peers were unchoked so since the last round. A deadline more than
    /// `deadlineRetellTolerance` past is stale: a peer still waiting moves its deadlines on and tells them again.
    func rescueIfDue(_ id: ConnectionID, now: ContinuousClock.Instant) {
        guard rescuedPeers.count < SwarmSettings.deadlineRescueSlots, let peer = peers[id], peer.amChoking,
            peer.peerInterested, !peer.isSeed,
            peer.needs.hasPiece(
                dueWithin: (now - SwarmSettings.deadlineRetellTolerance)...(now + SwarmSettings.uploadDeadlineHorizon),
                where: { picker.have[$0] })
        else { return }
        rescuedPeers.insert(id)
        logger.trace("peer \(id) needs a piece we have within the upload horizon")
        unchoke(id)
    }
}
