import NIOCore
import PeerWire
import Swarm

/// `shoal_deadline` (`DeadlineMessage`): a watcher tells the peers it requests from when it needs those pieces,
/// and an uploader serves the requests due soonest first (`UploadQueue`). Peers without the extension neither
/// send nor get anything.
extension TorrentSession {
    /// Tells the peer the deadlines of `pieces` it has not been told yet (or that moved), before their requests go.
    func tellDeadlines(ofPieces pieces: [Int], to peer: PeerState, now: ContinuousClock.Instant) {
        guard let extensionID = peer.deadlineExtensionID else { return }
        var entries: [DeadlineMessage.Entry] = []
        // A piece's second block finds its deadline recorded already: each piece is told once.
        for piece in pieces {
            guard let deadline = picker.deadline(ofPiece: piece),
                peer.toldDeadlines.isNews(deadline, forPiece: piece, tolerance: SwarmSettings.deadlineRetellTolerance)
            else { continue }
            peer.toldDeadlines.record(deadline, forPiece: piece)
            let milliseconds = max(0, (deadline - now) / .milliseconds(1))
            entries.append(DeadlineMessage.Entry(piece: piece, dueIn: UInt32(min(milliseconds, Double(UInt32.max)))))
        }
        guard !entries.isEmpty else { return }
        peer.send(DeadlineMessage(entries: entries).message(extensionID: extensionID))
    }

    /// A peer's deadlines: kept for its requests' order. A message that cannot be read is ignored, not fatal: it
    /// is advice.
    func receiveDeadlines(_ payload: ByteBuffer, from id: ConnectionID) {
        guard let peer = peers[id] else { return }
        let message: DeadlineMessage
        do {
            message = try DeadlineMessage.decode(payload)
        } catch {
            logger.debug("peer \(id): ignored a shoal_deadline message: \(error)")
            return
        }
        let now = ContinuousClock.now
        logger.trace("peer \(id) told deadlines: \(message.entries.map { "\($0.piece) in \($0.dueIn) ms" })")
        for entry in message.entries where entry.piece < geometry.pieceCount {
            peer.needs.record(now + .milliseconds(Int64(entry.dueIn)), forPiece: entry.piece)
        }
        rescueIfDue(id, now: now)
    }
}
