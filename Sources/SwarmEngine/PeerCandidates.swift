import TorrentModel

/// Addresses a session learned from its peers (PEX) and may dial, with the dials it has in flight. Bounded
/// everywhere, so a peer that floods us with addresses costs a fixed amount of memory and dials:
/// - at most `capacity` addresses wait (more are dropped, first come first served);
/// - an address is dialed at most once per `redialInterval` (`rememberedLimit` addresses remembered,
///   the oldest forgotten first);
/// - a dial stays pending from the request until its connection attaches or ends, and the session
///   starts no more while `pendingCount` is at its limit.
struct PeerCandidates {
    let capacity: Int
    let redialInterval: Duration
    let rememberedLimit: Int
    private var waiting: [PeerAddress] = []
    private var waitingSet: Set<PeerAddress> = []
    private var lastDialed: [PeerAddress: ContinuousClock.Instant] = [:]
    private(set) var pending: Set<PeerAddress> = []
    /// Dials started, for the figures.
    private(set) var dialCount = 0

    init(capacity: Int, redialInterval: Duration, rememberedLimit: Int) {
        self.capacity = capacity
        self.redialInterval = redialInterval
        self.rememberedLimit = rememberedLimit
    }

    var waitingCount: Int { waiting.count }
    var pendingCount: Int { pending.count }

    /// Queues an address; false when it waits or is being dialed already, was dialed lately, or the
    /// queue is full.
    mutating func add(_ address: PeerAddress, now: ContinuousClock.Instant) -> Bool {
        guard waiting.count < capacity, !waitingSet.contains(address), !pending.contains(address) else { return false }
        if let last = lastDialed[address], now - last < redialInterval { return false }
        waiting.append(address)
        waitingSet.insert(address)
        return true
    }

    /// Forgets a waiting address (the peer that told us of it says it is gone).
    mutating func remove(_ address: PeerAddress) {
        guard waitingSet.remove(address) != nil else { return }
        waiting.removeAll { $0 == address }
    }

    /// Takes the next waiting address that `isWanted` still accepts (say, not connected meanwhile), or nil.
    mutating func next(where isWanted: (PeerAddress) -> Bool) -> PeerAddress? {
        while !waiting.isEmpty {
            let address = waiting.removeFirst()
            waitingSet.remove(address)
            if isWanted(address) { return address }
        }
        return nil
    }

    /// Records a dial started for `address`.
    mutating func dialing(_ address: PeerAddress, now: ContinuousClock.Instant) {
        pending.insert(address)
        dialCount += 1
        if lastDialed.count >= rememberedLimit {
            // Expired entries first; if none, the oldest.
            lastDialed = lastDialed.filter { now - $0.value < redialInterval }
            if lastDialed.count >= rememberedLimit, let oldest = lastDialed.min(by: { $0.value < $1.value }) {
                lastDialed.removeValue(forKey: oldest.key)
            }
        }
        lastDialed[address] = now
    }

    /// The dial to `address` attached, failed or ended: its slot is free again.
    mutating func dialEnded(_ address: PeerAddress) {
        pending.remove(address)
    }
}
