/// Decides which peers we upload to: tit-for-tat regular slots plus one optimistic unchoke (BEP 3's choking
/// algorithm, as libtorrent and the BitTorrent spec describe it).
///
/// Pure: the engine runs `rechoke` every `rechokeInterval` (and may run it early, say when an unchoked peer
/// loses interest), passing every connected peer, the time and a random generator; it then sends the
/// decision's `actions`. The choker remembers across rounds who holds the optimistic slot and since when,
/// and when each peer's regular turn began and ended.
///
/// Rules:
/// - only interested peers that are not seeds are ever unchoked; the others never use a slot;
/// - leeching: regular slots go to the peers sending us the most (or, in `.exchange` mode, to those we trade the most
///   with both ways), never to snubbed peers (anti-snubbing);
/// - seeding: by our upload rate to them, or round robin in turns of `seedingTurnDuration`;
/// - ties go to peers already unchoked, then to the longest connected, then to the order given;
/// - the optimistic slot goes to a random interested peer without a regular slot (snubbed ones included),
///   new peers holding `newPeerOptimisticWeight` tickets; it moves every `optimisticInterval`, or at once
///   when its holder disconnects, loses interest or wins a regular slot.
public struct Choker<PeerID: Hashable & Sendable>: Sendable {
    public private(set) var configuration: ChokerConfiguration
    /// The current optimistic unchoke.
    public private(set) var optimistic: PeerID?
    /// When the current optimistic unchoke was chosen.
    public private(set) var optimisticSince: ContinuousClock.Instant?
    /// When the last round ran.
    public private(set) var lastRound: ContinuousClock.Instant?

    /// When each holder of a regular slot got it.
    private var turnStarted: [PeerID: ContinuousClock.Instant] = [:]
    /// When each peer last lost a regular slot: round robin serves the longest waiting first.
    private var turnEnded: [PeerID: ContinuousClock.Instant] = [:]

    public init(configuration: ChokerConfiguration = ChokerConfiguration()) {
        self.configuration = configuration
    }

    /// Changes how regular slots are handed out while we download, from the next round on.
    public mutating func setLeechingMode(_ mode: ChokerConfiguration.LeechingMode) {
        configuration.leechingMode = mode
    }

    /// True when `rechokeInterval` has passed since the last round, or no round ran yet.
    public func isRoundDue(now: ContinuousClock.Instant) -> Bool {
        guard let lastRound else { return true }
        return now - lastRound >= configuration.rechokeInterval
    }

    /// Runs one round over every connected peer (a peer listed twice counts once; a peer not listed is
    /// forgotten) and returns who is unchoked and the messages to send.
    public mutating func rechoke<Generator: RandomNumberGenerator>(
        peers: [ChokerPeer<PeerID>], amSeeding: Bool, now: ContinuousClock.Instant, using generator: inout Generator
    ) -> ChokerDecision<PeerID> {
        var seen = Set<PeerID>()
        let peers = peers.filter { seen.insert($0.id).inserted }
        forgetPeers(notIn: seen)
        lastRound = now

        let eligible = Self.eligible(peers)
        let regular: [Int]
        switch (amSeeding, configuration.seedingMode) {
        case (false, _):
            regular = leechingRegular(eligible, in: peers)
        case (true, .uploadRate):
            regular = ranked(eligible, in: peers, by: \.uploadRate)
        case (true, .roundRobin):
            regular = roundRobin(eligible, in: peers, now: now)
        }
        let regularIDs = regular.map { peers[$0].id }
        updateTurns(regular: Set(regularIDs), now: now)
        chooseOptimistic(
            among: eligible.filter { !regularIDs.contains(peers[$0].id) }, in: peers, now: now,
            using: &generator)

        var unchoked = Set(regularIDs)
        if let optimistic { unchoked.insert(optimistic) }
        return ChokerDecision(
            regular: regularIDs,
            optimistic: optimistic,
            unchoke: peers.filter { $0.isChoked && unchoked.contains($0.id) }.map(\.id),
            choke: peers.filter { !$0.isChoked && !unchoked.contains($0.id) }.map(\.id)
        )
    }

    /// The choked peers a round now would give a regular slot to while we download. Between rounds the engine
    /// unchokes them at once and chokes nobody for them: a peer becomes interested in us when we get a piece it
    /// lacks, often long after the round that ranked it, and in a streaming swarm the watcher in front, which sent
    /// us our first segments, then waited up to `rechokeInterval` for a piece only we and the origin had, and
    /// stalled (docs/benchmarks.md). Seeding, rounds alone decide.
    public func regularSlotsDue(peers: [ChokerPeer<PeerID>], amSeeding: Bool) -> [PeerID] {
        guard !amSeeding else { return [] }
        return leechingRegular(Self.eligible(peers), in: peers).filter { peers[$0].isChoked }.map { peers[$0].id }
    }

    // MARK: Regular slots

    /// The peers that may take a slot: interested, and not seeds (they never need our uploads).
    private static func eligible(_ peers: [ChokerPeer<PeerID>]) -> [Int] {
        peers.indices.filter { peers[$0].isInterested && !peers[$0].isSeed }
    }

    /// Leeching: the best unsnubbed candidates by what they send us (or, in `.exchange` mode, trade both ways).
    private func leechingRegular(_ candidates: [Int], in peers: [ChokerPeer<PeerID>]) -> [Int] {
        let rate: KeyPath<ChokerPeer<PeerID>, Double> =
            configuration.leechingMode == .reciprocate ? \.downloadRate : \.exchangeRate
        return ranked(candidates.filter { !peers[$0].isSnubbed }, in: peers, by: rate)
    }

    /// The best `regularSlots` candidates by `rate`; ties go to peers already unchoked, then the longest
    /// connected, then the order given.
    private func ranked(
        _ candidates: [Int], in peers: [ChokerPeer<PeerID>], by rate: KeyPath<ChokerPeer<PeerID>, Double>
    ) -> [Int] {
        let sorted = candidates.sorted { left, right in
            let a = peers[left]
            let b = peers[right]
            if a[keyPath: rate] != b[keyPath: rate] { return a[keyPath: rate] > b[keyPath: rate] }
            if a.isChoked != b.isChoked { return !a.isChoked }
            if a.connectedAt != b.connectedAt { return a.connectedAt < b.connectedAt }
            return left < right
        }
        return Array(sorted.prefix(configuration.regularSlots))
    }

    /// Holders keep their slot for a turn; then the peers waiting longest (never served first) take over.
    /// A holder whose turn is over stays while nobody waits.
    private func roundRobin(
        _ candidates: [Int], in peers: [ChokerPeer<PeerID>], now: ContinuousClock.Instant
    ) -> [Int] {
        let slots = configuration.regularSlots
        let holders = candidates.compactMap { index in turnStarted[peers[index].id].map { (index, started: $0) } }
            .sorted { ($0.started, $0.0) < ($1.started, $1.0) }
        let inTurn = holders.filter { now - $0.started < configuration.seedingTurnDuration }.map(\.0)
        // Of those whose turn is over, the most recent starters are the last to go.
        let turnOver = holders.filter { now - $0.started >= configuration.seedingTurnDuration }.reversed().map(\.0)
        let waiting = candidates.filter { turnStarted[peers[$0].id] == nil }.sorted { left, right in
            switch (turnEnded[peers[left].id], turnEnded[peers[right].id]) {
            case (nil, .some): return true
            case (.some, nil): return false
            case (.some(let a), .some(let b)) where a != b: return a < b
            default: break
            }
            if peers[left].connectedAt != peers[right].connectedAt {
                return peers[left].connectedAt < peers[right].connectedAt
            }
            return left < right
        }
        var chosen = Array(inTurn.prefix(slots))
        chosen += waiting.prefix(slots - chosen.count)
        chosen += turnOver.prefix(slots - chosen.count)
        return chosen
    }

    private mutating func updateTurns(regular: Set<PeerID>, now: ContinuousClock.Instant) {
        for id in turnStarted.keys where !regular.contains(id) {
            turnStarted[id] = nil
            turnEnded[id] = now
        }
        for id in regular where turnStarted[id] == nil {
            turnStarted[id] = now
        }
    }

    // MARK: Optimistic unchoke

    private mutating func chooseOptimistic<Generator: RandomNumberGenerator>(
        among candidates: [Int], in peers: [ChokerPeer<PeerID>], now: ContinuousClock.Instant,
        using generator: inout Generator
    ) {
        if let optimistic, let optimisticSince, now - optimisticSince < configuration.optimisticInterval,
            candidates.contains(where: { peers[$0].id == optimistic })
        {
            return
        }
        var pool = candidates
        if pool.count > 1, let optimistic {
            // Rotate: the previous holder only keeps the slot when nobody else can take it.
            pool.removeAll { peers[$0].id == optimistic }
        }
        let weights = pool.map { index in
            now - peers[index].connectedAt < configuration.newPeerWindow ? configuration.newPeerOptimisticWeight : 1
        }
        let total = weights.reduce(0, +)
        guard total > 0 else {
            optimistic = nil
            optimisticSince = nil
            return
        }
        var ticket = Int.random(in: 0..<total, using: &generator)
        for (index, weight) in zip(pool, weights) {
            if ticket < weight {
                optimistic = peers[index].id
                optimisticSince = now
                return
            }
            ticket -= weight
        }
    }

    // MARK: Bookkeeping

    private mutating func forgetPeers(notIn present: Set<PeerID>) {
        turnStarted = turnStarted.filter { present.contains($0.key) }
        turnEnded = turnEnded.filter { present.contains($0.key) }
        if let optimistic, !present.contains(optimistic) {
            self.optimistic = nil
            optimisticSince = nil
        }
    }
}
