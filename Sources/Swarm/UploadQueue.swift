import TorrentModel

/// Block requests from peers waiting for a rate-limited upload, and the order they are served in.
///
/// Served first are requests for pieces their peer needs within `deadlineHorizon` (it said so in a `shoal_deadline`
/// message), the earliest due first: an uploader shared evenly among its peers made a newcomer's first segment, and a
/// watcher about to stall, wait their turn behind everyone's read-ahead. A short horizon only: with a long one,
/// earliest-due-first took the upload of the watchers a little ahead, who then stalled in turn, and a fair share among
/// the urgent did worse still (docs/benchmarks.md). Then the next block of a piece already being sent to its peer, the
/// piece begun earliest first: a piece is of use to its peer and to the swarm only once complete, and a seed that
/// served its peers a block each in turn sent pieces out a block every second or two, to many watchers, none of whom
/// could trade them (docs/benchmarks.md). Then a request of the peer we have sent the least lately (the caller's
/// measure, typically its upload rate), and of that peer's requests the one for the lowest piece. A plain FIFO gave
/// every request the same seconds-long wait behind everyone's pipelines (startup took 10 s and more in the streaming
/// benchmark); this way a newcomer, which has been sent nothing, gets its first blocks at once, and a seed spreads what
/// it sends over all its peers, so each has something to trade (BEP 16's super-seeding aims at the same). In a video
/// torrent piece order is playback order, so a peer's most urgent request goes first. A request waiting `maximumWait`
/// or longer goes first whatever its peer and piece, so none waits for ever. Ties go by arrival.
///
/// Pure and small: the queue is bounded by the peers' request limits, so picking is a linear scan.
public struct UploadQueue<Peer: Hashable & Sendable>: Sendable {
    /// A peer's request for a block; the same request whenever it came (`arrival` is not compared).
    public struct Request: Hashable, Sendable {
        public let peer: Peer
        public let block: BlockRange
        /// When it was queued.
        public let arrival: ContinuousClock.Instant

        public init(peer: Peer, block: BlockRange, arrival: ContinuousClock.Instant = .now) {
            self.peer = peer
            self.block = block
            self.arrival = arrival
        }

        public static func == (left: Request, right: Request) -> Bool {
            left.peer == right.peer && left.block == right.block
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(peer)
            hasher.combine(block)
        }
    }

    public let maximumWait: Duration
    public let deadlineHorizon: Duration
    /// In arrival order: the first is the oldest.
    private var entries: [Request] = []
    /// The piece each peer was last sent a block of, and when its first block went.
    private var piecesUnderway: [Peer: (piece: Int, since: ContinuousClock.Instant)] = [:]

    public init(
        maximumWait: Duration = SwarmSettings.uploadQueueMaximumWait,
        deadlineHorizon: Duration = SwarmSettings.uploadDeadlineHorizon
    ) {
        self.maximumWait = maximumWait
        self.deadlineHorizon = deadlineHorizon
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    /// Requests of `peer` waiting.
    public func count(of peer: Peer) -> Int { entries.reduce(0) { $0 + ($1.peer == peer ? 1 : 0) } }

    /// Queues a request; false (and nothing changes) if the same one is already waiting.
    @discardableResult
    public mutating func add(_ block: BlockRange, from peer: Peer, at now: ContinuousClock.Instant) -> Bool {
        let request = Request(peer: peer, block: block, arrival: now)
        guard !entries.contains(request) else { return false }
        entries.append(request)
        return true
    }

    /// The peer cancelled a request (BEP 3 `cancel`); true if it was waiting.
    @discardableResult
    public mutating func cancel(_ block: BlockRange, from peer: Peer) -> Bool {
        guard let index = entries.firstIndex(of: Request(peer: peer, block: block)) else {
            return false
        }
        entries.remove(at: index)
        return true
    }

    /// Drops every request of `peer` (choked or gone) and returns them in arrival order.
    public mutating func removeAll(of peer: Peer) -> [BlockRange] {
        piecesUnderway[peer] = nil
        let removed = entries.filter { $0.peer == peer }.map(\.block)
        entries.removeAll { $0.peer == peer }
        return removed
    }

    /// Takes the request to serve next: the oldest if it has waited `maximumWait`; else the one due first within
    /// `deadlineHorizon` (`deadline` gives when a peer needs a piece, if it said; a request within the horizon counts
    /// as due `lead` of its piece earlier, `UploadUrgency`); else the next block of the piece underway that was begun
    /// earliest; else the lowest piece of the peer with the least `sentLately` (called once per waiting peer).
    public mutating func next(
        now: ContinuousClock.Instant, sentLately: (Peer) -> Double,
        deadline: (Peer, Int) -> ContinuousClock.Instant? = { _, _ in nil }, lead: (Int) -> Duration = { _ in .zero }
    ) -> Request? {
        guard !entries.isEmpty else { return nil }
        if now - entries[0].arrival >= maximumWait { return take(at: 0, now: now) }
        if let due = dueFirst(now: now, deadline: deadline, lead: lead) { return take(at: due, now: now) }
        if let continuing = nextOfPieceUnderway() { return take(at: continuing, now: now) }
        var sent: [Peer: Double] = [:]
        func key(_ index: Int) -> (Double, Int, Int) {
            let request = entries[index]
            let peerSent = sent[request.peer] ?? sentLately(request.peer)
            sent[request.peer] = peerSent
            return (peerSent, request.block.piece, request.block.offset)
        }
        var best = 0
        var bestKey = key(0)
        for index in entries.indices.dropFirst() {
            let candidate = key(index)
            if candidate < bestKey {
                best = index
                bestKey = candidate
            }
        }
        return take(at: best, now: now)
    }

    /// The waiting request due first within `deadlineHorizon`, by deadline less its piece's lead, piece and offset.
    private func dueFirst(
        now: ContinuousClock.Instant, deadline: (Peer, Int) -> ContinuousClock.Instant?, lead: (Int) -> Duration
    ) -> Int? {
        let horizon = now + deadlineHorizon
        var best: (index: Int, key: (ContinuousClock.Instant, Int, Int))?
        for (index, request) in entries.enumerated() {
            guard let told = deadline(request.peer, request.block.piece), told <= horizon else { continue }
            let key = (told - lead(request.block.piece), request.block.piece, request.block.offset)
            if best.map({ key < $0.key }) ?? true { best = (index, key) }
        }
        return best?.index
    }

    /// The waiting request for the lowest block of the piece underway that was begun earliest.
    private func nextOfPieceUnderway() -> Int? {
        var best: (index: Int, key: (ContinuousClock.Instant, Int))?
        for (index, request) in entries.enumerated() {
            guard let underway = piecesUnderway[request.peer], underway.piece == request.block.piece else { continue }
            let key = (underway.since, request.block.offset)
            if best.map({ key < $0.key }) ?? true { best = (index, key) }
        }
        return best?.index
    }

    private mutating func take(at index: Int, now: ContinuousClock.Instant) -> Request {
        let request = entries.remove(at: index)
        if piecesUnderway[request.peer]?.piece != request.block.piece {
            piecesUnderway[request.peer] = (request.block.piece, now)
        }
        return request
    }
}
