/// Who to blame for pieces that fail their hash check, and when to ban (libtorrent's trust points plus its
/// "smart ban" block attribution).
///
/// - Every peer that sent a block of a failed piece loses `lossPerFailedPiece` trust; every peer that sent a
///   block of a verified piece gains `gainPerPassedPiece`, up to `maximumTrust`. Trust at or below
///   `banThreshold` bans the peer; so does being the only sender of a failed piece (`banSoleContributor`).
/// - The blocks of a failed piece are remembered with a fingerprint each. When the piece later verifies
///   (with blocks from others), every peer whose remembered block differs from the good one is proven to have
///   sent bad data and is banned; peers whose blocks all matched get their lost trust back.
///
/// Pure bookkeeping: the engine closes banned connections and refuses them later. Bans are final.
public struct PeerTrust<PeerID: Hashable & Sendable>: Sendable {
    public let configuration: PeerTrustConfiguration
    public private(set) var banned: Set<PeerID> = []

    private var points: [PeerID: Int] = [:]
    private var failures: [Int: FailureRecord] = [:]
    /// Remembered failed pieces, oldest first.
    private var failureOrder: [Int] = []

    public init(configuration: PeerTrustConfiguration = PeerTrustConfiguration()) {
        self.configuration = configuration
    }

    public func trust(of peer: PeerID) -> Int { points[peer, default: 0] }

    public func isBanned(_ peer: PeerID) -> Bool { banned.contains(peer) }

    /// True when a failure of `piece` is remembered: pass block fingerprints to `piecePassed` when it verifies.
    public func remembersFailure(ofPiece piece: Int) -> Bool { failures[piece] != nil }

    /// A piece failed its hash check. Charges every sender and returns the peers banned by it, in the order
    /// they first appear in `blocks`.
    public mutating func pieceFailed(piece: Int, blocks: [BlockContribution]) -> [PeerID] {
        let senders = unique(blocks.map(\.peer))
        guard !senders.isEmpty else { return [] }
        var record = failures[piece] ?? FailureRecord()
        for block in blocks {
            record.remember(block)
        }
        var newlyBanned: [PeerID] = []
        for peer in senders {
            record.charges[peer, default: 0] += 1
            points[peer, default: 0] -= configuration.lossPerFailedPiece
            let sole = senders.count == 1 && configuration.banSoleContributor
            guard sole || points[peer, default: 0] <= configuration.banThreshold else { continue }
            if ban(peer) {
                newlyBanned.append(peer)
            }
        }
        remember(record, forPiece: piece)
        return newlyBanned
    }

    /// A piece verified. Credits its senders; if a failure of it is remembered and `blockFingerprints` (offset →
    /// fingerprint of the good block) are given, bans the peers whose earlier blocks differ and refunds the ones
    /// proven innocent. Returns the peers banned by it, by block offset.
    public mutating func piecePassed(
        piece: Int, contributors: some Sequence<PeerID>, blockFingerprints: [Int: [UInt8]] = [:]
    ) -> [PeerID] {
        for peer in unique(Array(contributors)) {
            points[peer] = min(points[peer, default: 0] + configuration.gainPerPassedPiece, configuration.maximumTrust)
        }
        guard let record = failures.removeValue(forKey: piece) else { return [] }
        failureOrder.removeAll { $0 == piece }
        guard !blockFingerprints.isEmpty else { return [] }

        var culprits: [PeerID] = []
        var unproven = Set<PeerID>()
        for offset in record.blocks.keys.sorted() {
            guard let good = blockFingerprints[offset] else {
                unproven.formUnion(record.blocks[offset, default: []].map(\.peer))
                continue
            }
            for sent in record.blocks[offset, default: []] where sent.fingerprint != good {
                culprits.append(sent.peer)
            }
        }
        culprits = unique(culprits)
        for (peer, charges) in record.charges where !culprits.contains(peer) && !unproven.contains(peer) {
            let refunded = points[peer, default: 0] + charges * configuration.lossPerFailedPiece
            points[peer] = min(refunded, configuration.maximumTrust)
        }
        var newlyBanned: [PeerID] = []
        for peer in culprits where ban(peer) {
            newlyBanned.append(peer)
        }
        return newlyBanned
    }

    /// Forgets a disconnected peer's trust; a ban stays.
    public mutating func forget(_ peer: PeerID) {
        points[peer] = nil
    }

    // MARK: Helpers

    /// Bans `peer`; false if it already was.
    private mutating func ban(_ peer: PeerID) -> Bool {
        banned.insert(peer).inserted
    }

    private mutating func remember(_ record: FailureRecord, forPiece piece: Int) {
        if failures.updateValue(record, forKey: piece) == nil {
            failureOrder.append(piece)
        }
        while failureOrder.count > configuration.maximumRememberedFailures {
            failures[failureOrder.removeFirst()] = nil
        }
    }

    private func unique(_ peers: [PeerID]) -> [PeerID] {
        var seen = Set<PeerID>()
        return peers.filter { seen.insert($0).inserted }
    }

    /// What was received for one failed piece: per block offset, each sender's latest fingerprint.
    private struct FailureRecord: Sendable {
        var blocks: [Int: [(peer: PeerID, fingerprint: [UInt8])]] = [:]
        /// How often each sender was charged for this piece, to refund if proven innocent.
        var charges: [PeerID: Int] = [:]

        mutating func remember(_ block: BlockContribution) {
            var sent = blocks[block.offset, default: []]
            if let existing = sent.firstIndex(where: { $0.peer == block.peer }) {
                sent[existing].fingerprint = block.fingerprint
            } else {
                sent.append((block.peer, block.fingerprint))
            }
            blocks[block.offset] = sent
        }
    }
}
