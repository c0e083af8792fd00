import TorrentModel

/// Choosing open pieces to start: random or rarest-first, highest priority first.
extension PieceAvailability {
    /// Open pieces the peer has, best first, enough to cover `needBlocks` blocks. Walks the levels
    /// (cheap when the peer has much of what is open) and falls back to walking the peer's bitfield
    /// when the walk passes `scanBudget` positions, so a pick costs O(min(walk, budget + n/8 + k)).
    func chooseOpenPieces<Random: RandomNumberGenerator>(
        for pieces: PeerPieces, needBlocks: Int, randomOrder: Bool, geometry: PieceGeometry, random: inout Random
    ) -> [Int] {
        guard needBlocks > 0 && openCount > 0 else { return [] }
        if let chosen = chooseByScanningLevels(
            pieces, needBlocks: needBlocks, randomOrder: randomOrder, geometry: geometry, random: &random)
        {
            return chosen
        }
        guard case .bitfield(let bitfield) = pieces else { return [] }
        return choose(
            fromBitfield: bitfield, needBlocks: needBlocks, randomOrder: randomOrder, geometry: geometry,
            random: &random)
    }

    /// How many level positions a scan for a bitfield peer may pass before it gives up and walks the
    /// peer's bitfield instead: about what that walk costs, so a pick never costs much more than
    /// O(n/8 + k) even for a peer whose few pieces all sit at the end of the order.
    private var scanBudget: Int { max(64, priorities.count / 8) }

    /// Walks the levels from the highest priority down. Rarest-first walks each availability bucket
    /// from a random position, wrapping around, which breaks ties at random; random order walks all
    /// of a level's buckets from one random position. Stops once the chosen pieces cover `needBlocks`.
    /// Costs the positions passed: about m/f for m pieces chosen from a peer with a fraction f of the
    /// open pieces. Nil when a bitfield peer used up `scanBudget`.
    private func chooseByScanningLevels<Random: RandomNumberGenerator>(
        _ pieces: PeerPieces, needBlocks: Int, randomOrder: Bool, geometry: PieceGeometry, random: inout Random
    ) -> [Int]? {
        var scan = LevelScan(pieces: pieces, needBlocks: needBlocks, budget: pieces.isAll ? Int.max : scanBudget)
        // A non-seed peer only has pieces counted in `peerCounts`, so bucket 0 cannot hold any of them.
        let lowestBucket = pieces.isAll ? 0 : 1
        for level in levels.reversed() where level.highestAvailability >= lowestBucket {
            if randomOrder {
                let range = level.range(fromBucket: lowestBucket)
                if scan.walk(range, of: level, geometry: geometry, random: &random) { break }
            } else {
                for bucket in lowestBucket...level.highestAvailability {
                    let range = level.range(ofBucket: bucket)
                    if scan.walk(range, of: level, geometry: geometry, random: &random) { break }
                }
            }
            if scan.isDone { break }
        }
        return scan.isOverBudget ? nil : scan.chosen
    }

    /// The same order as `chooseByScanningLevels`, computed from the peer's own pieces: O(n/8 + k log m),
    /// k = pieces the peer has, m = pieces needed.
    private func choose<Random: RandomNumberGenerator>(
        fromBitfield bitfield: Bitfield, needBlocks: Int, randomOrder: Bool, geometry: PieceGeometry,
        random: inout Random
    ) -> [Int] {
        // Only the last piece can be shorter, so this many pieces always cover `needBlocks`.
        let fullPiece = geometry.pieceCount > 0 ? geometry.blockCount(inPiece: 0) : 1
        let wantedCount = (needBlocks + fullPiece - 1) / fullPiece + 1
        var best = BestPieces(capacity: wantedCount)
        Self.forEachSetBit(of: bitfield) { piece in
            guard levelPositions[piece] >= 0 else { return }
            let availability = randomOrder ? 0 : Int(peerCounts[piece])
            best.offer(
                BestPieces.Rank(
                    level: -Int(priorities[piece].level), availability: availability, tie: random.next(), piece: piece))
        }
        var chosen: [Int] = []
        var blocks = 0
        for rank in best.ranks where blocks < needBlocks {
            chosen.append(rank.piece)
            blocks += geometry.blockCount(inPiece: rank.piece)
        }
        return chosen
    }
}
