/// A full consistency check of the picker's redundant structures, for tests. O(n + requests).
extension PiecePicker {
    func invariantViolations() -> [String] {
        var problems: [String] = []
        for (index, level) in availability.levels.enumerated() {
            let priority = index + 1
            if level.bucketEnds.last != level.count { problems.append("level \(priority): last bucket end wrong") }
            if level.bucketEnds.count > 1 && level.range(ofBucket: level.highestAvailability).isEmpty {
                problems.append("level \(priority): empty top bucket kept")
            }
            for bucket in 0...level.highestAvailability {
                for position in level.range(ofBucket: bucket) {
                    let piece = Int(level.pieces[position])
                    if availability.levelPositions[piece] != Int32(position) {
                        problems.append("piece \(piece): position wrong")
                    }
                    if availability.peerCounts[piece] != Int32(bucket) {
                        problems.append("piece \(piece): in bucket \(bucket)")
                    }
                    if Int(availability.priorities[piece].level) != priority {
                        problems.append("piece \(piece): in level \(priority)")
                    }
                }
            }
        }
        for piece in 0..<pieceCount {
            let open = states[piece] == .missing && availability.priorities[piece].isWanted
            if open != (availability.levelPositions[piece] >= 0) {
                problems.append("piece \(piece): level membership wrong")
            }
            let downloading = states[piece] == .downloading || states[piece] == .complete
            if downloading != (downloadSlots[piece] >= 0) { problems.append("piece \(piece): download slot wrong") }
            if have[piece] != (states[piece] == .had) { problems.append("piece \(piece): have bit wrong") }
            if wanted[piece] != (states[piece] != .had && availability.priorities[piece].isWanted) {
                problems.append("piece \(piece): wanted bit wrong")
            }
            if availability.peerCounts[piece] < 0 { problems.append("piece \(piece): negative availability") }
        }
        var expectedRequests: [Peer: Set<BlockKey>] = [:]
        for (slot, progress) in downloads.enumerated() {
            let piece = progress.piece
            if downloadSlots[piece] != Int32(slot) { problems.append("piece \(piece): slot \(slot) not indexed") }
            var open = 0
            var received = 0
            for (index, block) in progress.blocks.enumerated() {
                switch block {
                case .open: open += 1
                case .received: received += 1
                case .requested(let peers):
                    if peers.isEmpty || Set(peers).count != peers.count {
                        problems.append("piece \(piece) block \(index): requesters \(peers)")
                    }
                    for peer in peers {
                        expectedRequests[peer, default: []].insert(BlockKey(piece: Int32(piece), block: Int32(index)))
                    }
                }
            }
            if open != progress.openCount || received != progress.receivedCount {
                problems.append("piece \(piece): block counts wrong")
            }
            if progress.isIdle { problems.append("piece \(piece): idle download kept") }
            if progress.isComplete != (states[piece] == .complete) {
                problems.append("piece \(piece): completion wrong")
            }
        }
        if expectedRequests != requestsByPeer { problems.append("per-peer requests differ from the blocks") }
        if deadlineQueue != deadlineQueue.sorted() || deadlineQueue.count != deadlines.count {
            problems.append("deadline queue out of order")
        }
        for entry in deadlineQueue where deadlines[entry.piece] != entry.deadline {
            problems.append("piece \(entry.piece): deadline mismatch")
        }
        return problems
    }
}
