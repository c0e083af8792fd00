import TorrentModel

/// One peer's block requests: what is outstanding, how deep the pipeline should be, and what to do with
/// blocks, rejects, chokes and silence from that peer.
///
/// The engine owns one per connection and asks it before and after every request-related message:
/// - `availableSlots(now:)` requests may be sent now (depth sized from the measured rate, capped by `reqq`);
/// - `requested(_:at:)` after sending each request;
/// - `receive(block:at:)` for each `piece` message; `.unrequested` and `.wrongSize` mean disconnect;
/// - `choked(at:)`, `rejected(_:)`, `timedOut(now:)` and `removeAll()` return blocks to request elsewhere;
/// - `snubbed(now:)` feeds the choker's anti-snubbing.
///
/// Requests given up on (cancelled, timed out, dropped on choke) are remembered for
/// `Configuration.abandonedRetention`, so a block already on the wire when we gave up is tolerated rather
/// than taken for an unrequested one.
public struct PeerRequestQueue: Sendable {
    public private(set) var configuration: Configuration
    /// Whether both sides set the BEP 6 bit: then choke does not drop requests and allowed-fast pieces exist.
    public let supportsFastExtension: Bool
    /// How many requests the peer accepts at once: its BEP 10 `reqq`, or the default when it sent none.
    public private(set) var peerRequestLimit = SwarmSettings.defaultPeerRequestLimit
    /// True while the peer chokes us; every connection starts choked (BEP 3).
    public private(set) var isChoked = true
    /// Pieces we may request while choked (BEP 6 `allowed fast`).
    public private(set) var allowedFastPieces: Set<Int> = []
    /// When the last block arrived from this peer.
    public private(set) var lastBlockAt: ContinuousClock.Instant?
    /// Bytes of outstanding requests.
    public private(set) var outstandingBytes = 0

    private var rate: RateEstimator
    private var outstandingRequests: [RequestKey: Entry] = [:]
    private var abandonedRequests: [RequestKey: Entry] = [:]
    private var nextSequence: UInt64 = 0
    /// Since when we have been waiting for a block; nil when nothing is owed.
    private var waitingSince: ContinuousClock.Instant?
    /// A request timed out and no block came since: the peer still owes us even with nothing outstanding.
    private var timedOutSinceLastBlock = false

    public init(configuration: Configuration = Configuration(), supportsFastExtension: Bool = false) {
        self.configuration = configuration
        self.supportsFastExtension = supportsFastExtension
        self.rate = RateEstimator(window: configuration.rateWindow)
    }

    // MARK: State

    public var outstandingCount: Int { outstandingRequests.count }

    /// Outstanding requests, oldest first.
    public var outstanding: [BlockRange] { ordered(outstandingRequests.values) }

    /// Requests given up on whose blocks would still be tolerated.
    public var abandonedCount: Int { abandonedRequests.count }

    public func isOutstanding(_ block: BlockRange) -> Bool {
        outstandingRequests[RequestKey(block)]?.block == block
    }

    /// Payload bytes received from this peer ever.
    public var downloadedBytes: Int64 { rate.totalBytes }

    /// Payload bytes per second received from this peer over the rate window.
    public func downloadRate(now: ContinuousClock.Instant) -> Double {
        rate.rate(now: now)
    }

    // MARK: Peer state

    /// Records the peer's BEP 10 `reqq`; nil (not sent) means the default. Values below 1 count as 1.
    public mutating func setPeerRequestLimit(_ reqq: Int?) {
        peerRequestLimit = max(1, reqq ?? SwarmSettings.defaultPeerRequestLimit)
    }

    public mutating func unchoked() {
        isChoked = false
    }

    /// Records a BEP 6 `allowed fast` piece. Ignored without the fast extension.
    public mutating func allowFast(piece: Int) {
        guard supportsFastExtension, piece >= 0 else { return }
        allowedFastPieces.insert(piece)
    }

    /// Whether a block of `piece` may be requested now: when unchoked, or for an allowed-fast piece.
    public func canRequest(piece: Int) -> Bool {
        !isChoked || (supportsFastExtension && allowedFastPieces.contains(piece))
    }

    /// The peer choked us. Returns the requests it will not serve, oldest first, to request elsewhere: all of
    /// them, except (with the fast extension) those for allowed-fast pieces, which the peer still serves.
    public mutating func choked(at now: ContinuousClock.Instant) -> [BlockRange] {
        isChoked = true
        let dropped = ordered(outstandingRequests.values).filter { block in
            !(supportsFastExtension && allowedFastPieces.contains(block.piece))
        }
        for block in dropped {
            abandon(RequestKey(block), at: now)
        }
        if outstandingRequests.isEmpty {
            // Being choked is not snubbing: the peer owes us nothing now.
            waitingSince = nil
            timedOutSinceLastBlock = false
        }
        return dropped
    }

    // MARK: Depth

    /// Changes how much time at the peer's rate the requests outstanding should cover (`desiredDepth`).
    public mutating func setQueueTime(_ time: Duration) {
        configuration.queueTime = max(.zero, time)
    }

    /// How many requests should be outstanding: enough for `queueTime` at the measured rate, at least the
    /// configured minimum, at most the peer's `reqq` and the global cap.
    public func desiredDepth(now: ContinuousClock.Instant) -> Int {
        let limit = min(configuration.maximumDepth, peerRequestLimit)
        let floor = min(configuration.minimumDepth, limit)
        let bytesInQueueTime = downloadRate(now: now) * (configuration.queueTime / .seconds(1))
        let blocks = (bytesInQueueTime / Double(TorrentLimits.blockSize)).rounded(.up)
        let depth = blocks < Double(limit) ? Int(blocks) : limit
        return max(floor, depth)
    }

    /// How many more requests to send now; 0 while choked, unless allowed-fast pieces may be requested.
    public func availableSlots(now: ContinuousClock.Instant) -> Int {
        guard !isChoked || (supportsFastExtension && !allowedFastPieces.isEmpty) else { return 0 }
        return max(0, desiredDepth(now: now) - outstandingRequests.count)
    }

    // MARK: Requests and answers

    /// Records a request sent to the peer. Returns false (and changes nothing) if it is already outstanding.
    @discardableResult
    public mutating func requested(_ block: BlockRange, at now: ContinuousClock.Instant) -> Bool {
        let key = RequestKey(block)
        guard outstandingRequests[key] == nil else { return false }
        // An abandoned earlier request for the same block stays on record: its answer may still be on the
        // wire (a choke, then an unchoke and the same request again), and it must not count as unrequested.
        outstandingRequests[key] = Entry(block: block, time: now, sequence: nextSequence)
        nextSequence += 1
        outstandingBytes += block.length
        if waitingSince == nil {
            waitingSince = now
        }
        return true
    }

    /// Classifies a `piece` message carrying `block` (its payload length as `length`).
    public mutating func receive(block: BlockRange, at now: ContinuousClock.Instant) -> Arrival {
        let key = RequestKey(block)
        if let entry = outstandingRequests[key] {
            guard entry.block.length == block.length else { return .wrongSize(expected: entry.block.length) }
            outstandingRequests[key] = nil
            outstandingBytes -= entry.block.length
            noteBlock(bytes: block.length, at: now)
            return .expected
        }
        if let entry = abandonedRequests[key] {
            guard entry.block.length == block.length else { return .wrongSize(expected: entry.block.length) }
            answerAbandoned(key)
            noteBlock(bytes: block.length, at: now)
            return .cancelledButArrived
        }
        return .unrequested
    }

    /// We cancel an outstanding request (say, the block came from elsewhere). Returns true if it was
    /// outstanding, and then the engine sends `cancel`.
    @discardableResult
    public mutating func cancel(_ block: BlockRange, at now: ContinuousClock.Instant) -> Bool {
        guard isOutstanding(block) else { return false }
        abandon(RequestKey(block), at: now)
        stopWaitingIfNothingOwed()
        return true
    }

    /// The peer refused a request (BEP 6 `reject request`).
    public mutating func rejected(_ block: BlockRange) -> Rejection {
        let key = RequestKey(block)
        // Peers answer in order, so a reject answers an older, abandoned request for the block before the
        // outstanding one sent after it.
        if let entry = abandonedRequests[key], entry.block == block {
            answerAbandoned(key)
            return .alreadyAbandoned
        }
        if let entry = outstandingRequests[key], entry.block == block {
            outstandingRequests[key] = nil
            outstandingBytes -= block.length
            stopWaitingIfNothingOwed()
            return .returned(block)
        }
        return .neverRequested
    }

    /// One of the abandoned requests for the block got its answer.
    private mutating func answerAbandoned(_ key: RequestKey) {
        guard var entry = abandonedRequests[key] else { return }
        entry.unanswered -= 1
        abandonedRequests[key] = entry.unanswered > 0 ? entry : nil
    }

    /// The connection is gone: returns every outstanding request, oldest first, and forgets everything.
    public mutating func removeAll() -> [BlockRange] {
        let returned = outstanding
        outstandingRequests.removeAll()
        abandonedRequests.removeAll()
        outstandingBytes = 0
        waitingSince = nil
        timedOutSinceLastBlock = false
        return returned
    }

    // MARK: Time-outs and snubbing

    /// How long a request may stay outstanding: `requestTimeoutMultiplier` times the time the peer needs at
    /// its measured rate to deliver everything outstanding, within the floor and the ceiling. With no measured
    /// rate it is the floor.
    public func requestTimeout(now: ContinuousClock.Instant) -> Duration {
        let bytesPerSecond = downloadRate(now: now)
        guard bytesPerSecond > 0, outstandingBytes > 0 else { return configuration.requestTimeoutFloor }
        let ceilingSeconds = configuration.requestTimeoutCeiling / .seconds(1)
        let seconds = Double(outstandingBytes) / bytesPerSecond * configuration.requestTimeoutMultiplier
        let timeout = Duration.seconds(min(seconds, ceilingSeconds))
        return min(max(timeout, configuration.requestTimeoutFloor), configuration.requestTimeoutCeiling)
    }

    /// Gives up on requests outstanding for `requestTimeout(now:)` or longer and returns them, oldest first,
    /// to request elsewhere; the engine sends `cancel` for each. Also forgets abandoned requests older than
    /// `abandonedRetention`. Call it about once a second.
    public mutating func timedOut(now: ContinuousClock.Instant) -> [BlockRange] {
        abandonedRequests = abandonedRequests.filter { now - $0.value.time < configuration.abandonedRetention }
        let timeout = requestTimeout(now: now)
        let expired = ordered(outstandingRequests.values.filter { now - $0.time >= timeout })
        guard !expired.isEmpty else { return [] }
        for block in expired {
            abandon(RequestKey(block), at: now)
        }
        timedOutSinceLastBlock = true
        return expired
    }

    /// True when the peer owes us blocks and has sent none for `snubTimeout`. Stays true after its requests
    /// time out, until a block arrives or the peer chokes us.
    public func snubbed(now: ContinuousClock.Instant) -> Bool {
        guard let waitingSince else { return false }
        return now - waitingSince >= configuration.snubTimeout
    }

    // MARK: Helpers

    private mutating func noteBlock(bytes: Int, at now: ContinuousClock.Instant) {
        rate.record(bytes: bytes, at: now)
        lastBlockAt = now
        timedOutSinceLastBlock = false
        waitingSince = outstandingRequests.isEmpty ? nil : now
    }

    private mutating func stopWaitingIfNothingOwed() {
        if outstandingRequests.isEmpty && !timedOutSinceLastBlock {
            waitingSince = nil
        }
    }

    /// Moves an outstanding request to the abandoned ones, dropping the oldest abandoned beyond the cap.
    private mutating func abandon(_ key: RequestKey, at now: ContinuousClock.Instant) {
        guard let entry = outstandingRequests.removeValue(forKey: key) else { return }
        outstandingBytes -= entry.block.length
        let earlier = abandonedRequests[key]?.unanswered ?? 0
        abandonedRequests[key] = Entry(
            block: entry.block, time: now, sequence: entry.sequence, unanswered: earlier + 1)
        if abandonedRequests.count > configuration.maximumDepth,
            let oldest = abandonedRequests.min(by: { $0.value.sequence < $1.value.sequence })
        {
            abandonedRequests[oldest.key] = nil
        }
    }

    private func ordered(_ entries: some Sequence<Entry>) -> [BlockRange] {
        entries.sorted { $0.sequence < $1.sequence }.map(\.block)
    }

    private struct RequestKey: Hashable, Sendable {
        var piece: Int
        var offset: Int

        init(_ block: BlockRange) {
            piece = block.piece
            offset = block.offset
        }
    }

    private struct Entry: Sendable {
        var block: BlockRange
        /// When it was sent (outstanding) or given up on (abandoned).
        var time: ContinuousClock.Instant
        /// Send order, for stable results.
        var sequence: UInt64
        /// For an abandoned block: how many of our requests for it may still be answered. A block can be
        /// asked for, abandoned (choke, time-out) and asked for again several times before answers arrive.
        var unanswered = 1
    }
}
