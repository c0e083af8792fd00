import TorrentModel

/// Peers announced to this node with `announce_peer`, per infohash, for `values` in `get_peers`
/// answers. Bounded three ways (peers per infohash, infohashes, peers in all) so that announces, even
/// with valid tokens from many addresses, cannot grow memory without end. Times are seconds on any
/// monotonic clock; randomness is a parameter.
public struct PeerStore: Sendable {
    public struct Settings: Sendable, Equatable {
        public var peerLifetime: Double
        public var maximumPeersPerInfoHash: Int
        public var maximumInfoHashes: Int
        public var maximumPeers: Int

        public init(
            peerLifetime: Double = DHTLimits.peerLifetime,
            maximumPeersPerInfoHash: Int = DHTLimits.maximumPeersPerInfoHash,
            maximumInfoHashes: Int = DHTLimits.maximumInfoHashes,
            maximumPeers: Int = DHTLimits.maximumStoredPeers
        ) {
            self.peerLifetime = peerLifetime
            self.maximumPeersPerInfoHash = maximumPeersPerInfoHash
            self.maximumInfoHashes = maximumInfoHashes
            self.maximumPeers = maximumPeers
        }
    }

    public enum Outcome: Equatable, Sendable {
        case added
        /// The peer was known; its lifetime starts again.
        case renewed
        /// The infohash's list was full: the peer took the place of the one announced longest ago.
        case replacedOldest
        /// Every infohash slot or the store as a whole was full.
        case refused
    }

    private struct Entry: Sendable {
        var expires: Double
        var seed: Bool
    }

    public let settings: Settings
    private var swarms: [InfoHash: [DHTEndpoint: Entry]] = [:]
    public private(set) var peerCount = 0
    private var lastFullExpiry = -Double.infinity

    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    public var infoHashCount: Int { swarms.count }

    /// Stores `peer` for `infoHash` until `now` + the peer lifetime.
    public mutating func announce(_ peer: DHTEndpoint, seed: Bool, for infoHash: InfoHash, now: Double) -> Outcome {
        let entry = Entry(expires: now + settings.peerLifetime, seed: seed)
        if swarms[infoHash]?[peer] != nil {
            swarms[infoHash]![peer] = entry
            return .renewed
        }
        if swarms[infoHash] == nil {
            guard swarms.count < settings.maximumInfoHashes || expireIfFull(now: now) else { return .refused }
            guard swarms.count < settings.maximumInfoHashes else { return .refused }
        }
        var swarm = swarms[infoHash] ?? [:]
        var outcome = Outcome.added
        if swarm.count >= settings.maximumPeersPerInfoHash {
            // A fresh announce is worth more than the stalest: that peer is the likeliest to be gone.
            guard let oldest = swarm.min(by: { $0.value.expires < $1.value.expires })?.key else { return .refused }
            swarm.removeValue(forKey: oldest)
            peerCount -= 1
            outcome = .replacedOldest
        } else if peerCount >= settings.maximumPeers {
            guard expireIfFull(now: now), peerCount < settings.maximumPeers else { return .refused }
            swarm = swarms[infoHash] ?? [:]
        }
        swarm[peer] = entry
        peerCount += 1
        swarms[infoHash] = swarm
        return outcome
    }

    /// At most `maximum` live peers of `family` for `infoHash`, chosen at random, so that every announced
    /// peer gets shown and none is favoured. Never more than `DHTLimits.maximumValuesPerResponse`.
    public func peers(
        for infoHash: InfoHash, family: DHTEndpoint.Family, maximum: Int = DHTLimits.maximumValuesPerResponse,
        now: Double, using generator: inout some RandomNumberGenerator
    ) -> [DHTEndpoint] {
        guard let swarm = swarms[infoHash] else { return [] }
        var live = swarm.filter { $0.key.family == family && $0.value.expires > now }.map(\.key)
        let count = min(max(0, maximum), DHTLimits.maximumValuesPerResponse, live.count)
        // A partial Fisher–Yates shuffle: the first `count` places get a uniform sample.
        for index in 0..<count {
            live.swapAt(index, Int.random(in: index..<live.count, using: &generator))
        }
        return Array(live.prefix(count))
    }

    /// How many live peers of `infoHash` are seeds and how many are not (for logs and BEP 33 later).
    public func counts(for infoHash: InfoHash, now: Double) -> (seeds: Int, others: Int) {
        let live = swarms[infoHash]?.values.filter { $0.expires > now } ?? []
        let seeds = live.count { $0.seed }
        return (seeds, live.count - seeds)
    }

    /// Drops peers whose lifetime has passed, and infohashes left with none.
    public mutating func expire(now: Double) {
        for (infoHash, swarm) in swarms {
            let live = swarm.filter { $0.value.expires > now }
            guard live.count != swarm.count else { continue }
            peerCount -= swarm.count - live.count
            swarms[infoHash] = live.isEmpty ? nil : live
        }
    }

    /// Expires, and reports whether that made room of either kind. At most once a second: a store that
    /// is full of live peers must not cost a pass over all of them for every refused announce.
    private mutating func expireIfFull(now: Double) -> Bool {
        guard now - lastFullExpiry >= 1 || now < lastFullExpiry else { return false }
        lastFullExpiry = now
        let before = (swarms.count, peerCount)
        expire(now: now)
        return swarms.count < before.0 || peerCount < before.1
    }
}
