/// Which requests a busy seed passes on to the rest of the swarm with a BEP 6 `reject request`, so that its
/// upload goes to pieces nobody else can send.
///
/// In a streaming swarm every watcher wants the same few pieces at about the same time, and the origin seed,
/// being fast and complete, is asked for each of them by several watchers: it sent each piece about three
/// times, injecting new pieces at a third of its upload (docs/benchmarks.md). A seed that refuses a piece
/// another connected peer already has or is being sent, while its own upload queue is long, makes the asker
/// fetch it from that peer, and keeps its own upload for pieces only it has (the idea of BEP 16's super-seeding, without
/// hiding pieces). A peer that keeps asking for the same piece gets it after `grace`: the peers that have it
/// may be choking the asker, and a refusal must never starve anyone. And a piece is refused to no more than
/// `askersPerHolder` peers per peer that has it: when a burst of newcomers all want the first segment, which one
/// watcher has, that watcher cannot feed them all in time, and the seed sends it too.
///
/// Of the pieces nobody has, a busy seed sends watchers only those near the first one (`shouldHoldBack`). In a
/// video torrent pieces are in playback order, and watchers fill their read-ahead rarest first: each asked the
/// origin for a block or two of pieces a minute ahead, which nobody could trade until they were complete, so the
/// origin's new pieces reached the swarm at about playback speed and the watchers in front stalled
/// (docs/benchmarks.md). Held back, the origin's upload goes to the next pieces the swarm lacks, each sent once.
///
/// Pure: the session passes the time, the piece's availability and its upload queue delay.
public struct SeedRequestDeferral<Peer: Hashable & Sendable>: Sendable {
    public struct Configuration: Hashable, Sendable {
        /// Requests are refused only while the seed's queued uploads take at least this long to send.
        public var busyDelay: Duration
        /// A peer refused a piece gets it when it asks again this long after the first refusal.
        public var grace: Duration
        /// A piece a block of which went to another peer this recently counts as on its way there...
        public var inFlightWindow: Duration
        /// ... and is refused as such, unless the asker said it needs it within this long.
        public var inFlightDueSoon: Duration
        /// Pieces nobody has are sent to watchers only this many pieces past the first of them...
        public var newPieceWindow: Int
        /// ... unless the watcher said it needs the piece within this long.
        public var dueSoon: Duration
        /// A piece others have is refused to at most this many peers (remembered refusals) per peer that has it.
        public var askersPerHolder: Int

        public init(
            busyDelay: Duration = SwarmSettings.seedDeferralBusyDelay,
            grace: Duration = SwarmSettings.seedDeferralGrace,
            inFlightWindow: Duration = SwarmSettings.seedDeferralInFlightWindow,
            inFlightDueSoon: Duration = SwarmSettings.seedDeferralInFlightDueSoon,
            newPieceWindow: Int = SwarmSettings.seedNewPieceWindowMinimumPieces,
            dueSoon: Duration = SwarmSettings.seedNewPieceDueSoon,
            askersPerHolder: Int = SwarmSettings.seedDeferralAskersPerHolder
        ) {
            self.busyDelay = busyDelay
            self.grace = grace
            self.inFlightWindow = inFlightWindow
            self.inFlightDueSoon = inFlightDueSoon
            self.newPieceWindow = newPieceWindow
            self.dueSoon = dueSoon
            self.askersPerHolder = askersPerHolder
        }
    }

    public let configuration: Configuration
    /// Where a peer stands with a piece it asked for: refused since its first refusal, or, its grace run out,
    /// served until a grace later (every block of the piece, and again when its request leaves the upload queue).
    private enum Answer: Sendable {
        case refusedSince(ContinuousClock.Instant)
        case grantedUntil(ContinuousClock.Instant)

        var isRefusal: Bool { if case .refusedSince = self { true } else { false } }
    }

    /// Each piece's askers and where they stand.
    private var answers: [Int: [Peer: Answer]] = [:]
    /// The last peer sent a block of each piece, and when: a piece on its way to one peer is as good as had.
    private var lastSent: [Int: (peer: Peer, at: ContinuousClock.Instant)] = [:]

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Refusals and grants being remembered (bounded by `forgetOld(now:)` and `peerLeft`).
    public var rememberedCount: Int { answers.values.reduce(0) { $0 + $1.count } }

    /// Whether to refuse `peer`'s request for a block of `piece`: true when another connected peer has the
    /// piece (`holders`, not counting the asker and us) or is being sent it (`sent(piece:to:at:)` within
    /// `inFlightWindow`), the upload queue takes `busyDelay` or longer, the peer was not refused this piece
    /// `grace` or longer ago, and, for a peer not refused it yet, fewer than `askersPerHolder` peers per holder are.
    /// A piece whose blocks are on their way to the asker is never refused: half a piece is of no use to anyone.
    /// Nor is a piece nobody has but on its way to another peer, when the asker needs it within `inFlightDueSoon`
    /// (`due`, if it said). For a request that waited in the upload queue (`askedAt`, when it was asked), the grace
    /// counts from then, not from the refusal, since the asker has waited all along; and it is not refused at all
    /// once it is due within `inFlightDueSoon`.
    public mutating func shouldRefuse(
        _ peer: Peer, piece: Int, holders: Int, uploadQueueDelay: Duration, now: ContinuousClock.Instant,
        due: ContinuousClock.Instant? = nil, askedAt: ContinuousClock.Instant? = nil
    ) -> Bool {
        guard uploadQueueDelay >= configuration.busyDelay else { return false }
        if let sent = lastSent[piece], sent.peer == peer, now - sent.at < configuration.inFlightWindow { return false }
        // A piece on its way to another peer is refused without starting the grace: nobody can send it yet, and
        // the asker will have its source as soon as that peer has it. Unless it needs the piece soon: the seed
        // sends that peer its blocks one at a time between more urgent requests, and it may be a watcher behind.
        guard holders > 0 else {
            if Self.isDue(due, within: configuration.inFlightDueSoon, of: now) { return false }
            return lastSent[piece].map { now - $0.at < configuration.inFlightWindow } ?? false
        }
        // A request that waited its turn in the queue while others got the piece is not sent elsewhere now that it is
        // due within `inFlightDueSoon`: the asker would start over with a peer that may choke it or be slow.
        if askedAt != nil && Self.isDue(due, within: configuration.inFlightDueSoon, of: now) { return false }
        switch answers[piece]?[peer] {
        case .grantedUntil(let until) where now < until:
            return false
        case .refusedSince(let first):
            guard now - first >= configuration.grace else { return true }
            // Granted for a grace more, or the piece's next block would start a new grace.
            answers[piece]?[peer] = .grantedUntil(now + configuration.grace)
            return false
        case .grantedUntil, nil:
            let refused = answers[piece]?.values.count(where: \.isRefusal) ?? 0
            guard refused < holders * configuration.askersPerHolder else { return false }
            let first = min(now, askedAt ?? now)
            guard now - first < configuration.grace else {
                answers[piece, default: [:]][peer] = .grantedUntil(now + configuration.grace)
                return false
            }
            answers[piece, default: [:]][peer] = .refusedSince(first)
            return true
        }
    }

    /// Whether to refuse a watcher's request for `piece`, which no connected peer has (`holders` 0), because it lies
    /// `newPieceWindow` or more pieces past `firstPieceNobodyHas` (nil: the peer is no watcher, it told no
    /// deadlines), while the upload queue takes `busyDelay` or longer, and the watcher did not say it needs the
    /// piece within `dueSoon` (`due`). No grace: the watcher gets the piece as soon as the swarm has the pieces
    /// before it, or it is due soon. `firstPieceNobodyHas` is evaluated last, only when the rest holds: it scans.
    public func shouldHoldBack(
        piece: Int, holders: Int, firstPieceNobodyHas: @autoclosure () -> Int?, due: ContinuousClock.Instant?,
        uploadQueueDelay: Duration, now: ContinuousClock.Instant
    ) -> Bool {
        guard holders == 0, uploadQueueDelay >= configuration.busyDelay,
            !Self.isDue(due, within: configuration.dueSoon, of: now),
            let first = firstPieceNobodyHas()
        else { return false }
        return piece >= first + configuration.newPieceWindow
    }

    /// A block of `piece` went to `peer`.
    public mutating func sent(piece: Int, to peer: Peer, at now: ContinuousClock.Instant) {
        lastSent[piece] = (peer, now)
    }

    /// Forgets refusals older than `grace` twice over (the peer got the piece or stopped asking), grants that ran
    /// out, and sends older than `inFlightWindow`.
    public mutating func forgetOld(now: ContinuousClock.Instant) {
        let horizon = configuration.grace * 2
        keepAnswers {
            switch $1 {
            case .refusedSince(let first): now - first < horizon
            case .grantedUntil(let until): now < until
            }
        }
        lastSent = lastSent.filter { now - $0.value.at < configuration.inFlightWindow }
    }

    public mutating func peerLeft(_ peer: Peer) {
        keepAnswers { asker, _ in asker != peer }
        lastSent = lastSent.filter { $0.value.peer != peer }
    }

    /// Keeps the askers' answers `keep` accepts, and drops the pieces left without any.
    private mutating func keepAnswers(_ keep: (Peer, Answer) -> Bool) {
        answers = answers.compactMapValues { askers in
            let kept = askers.filter { keep($0.key, $0.value) }
            return kept.isEmpty ? nil : kept
        }
    }

    /// Whether a peer said it needs a piece (`due`) within `soon` of `now`.
    private static func isDue(
        _ due: ContinuousClock.Instant?, within soon: Duration, of now: ContinuousClock.Instant
    ) -> Bool {
        due.map { $0 <= now + soon } ?? false
    }
}
