import Synchronization
import TorrentModel
import TrackerProtocol

/// The tracker without its sockets: announces and scrapes from HTTP and UDP end here. The registry is
/// sharded by infohash, each shard behind its own lock; the access policy and the rate limiter have
/// their own. Safe to call from every event loop at once.
public final class TrackerCore: Sendable {
    final class Shard: Sendable {
        let state: Mutex<(registry: SwarmRegistry, random: TrackerRandom)>

        init(settings: SwarmRegistry.Settings, seed: UInt64) {
            state = Mutex((SwarmRegistry(settings: settings), TrackerRandom(seed: seed)))
        }
    }

    public let configuration: TrackerConfiguration
    let shards: [Shard]
    let counters = TrackerCounters()
    let rateSampler = AnnounceRateSampler()
    let startedAt: Double
    let connectionIDs: UDPConnectionIDs
    private let policy: Mutex<TrackerAccessPolicy>
    private let limiter: Mutex<AddressRateLimiter>
    /// Seconds on a monotonic clock; a test passes its own.
    let clock: @Sendable () -> Double
    /// Sent as `tracker id` to clients that have none yet.
    let trackerID: [UInt8]

    public init(
        configuration: TrackerConfiguration, secret: [UInt8] = TrackerCore.randomSecret(),
        clock: @escaping @Sendable () -> Double = TrackerCore.monotonicSeconds
    ) {
        self.configuration = configuration
        let shardCount = max(1, configuration.shardCount)
        var seeds = TrackerRandom(seed: secret.prefix(8).reduce(0) { $0 << 8 | UInt64($1) })
        shards = (0..<shardCount).map { _ in Shard(settings: configuration.registrySettings, seed: seeds.next()) }
        connectionIDs = UDPConnectionIDs(secret: secret)
        policy = Mutex(configuration.access)
        limiter = Mutex(AddressRateLimiter(settings: configuration.rateLimit))
        self.clock = clock
        startedAt = clock()
        // Its own random bytes: nothing of the secret may show in responses.
        var generator = SystemRandomNumberGenerator()
        trackerID = Array(
            String(UInt32.random(in: 0...UInt32.max, using: &generator), radix: 16).leftPadded(to: 8).utf8)
    }

    public static func randomSecret() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    public static let monotonicSeconds: @Sendable () -> Double = {
        let now = ContinuousClock.now - TrackerCore.processStart
        return Double(now.components.seconds) + Double(now.components.attoseconds) / 1e18
    }
    private static let processStart = ContinuousClock.now

    /// The registry clock: whole seconds.
    var now: UInt32 { UInt32(clamping: Int(clock())) }

    // MARK: Access

    public var accessPolicy: TrackerAccessPolicy {
        get { policy.withLock { $0 } }
    }

    public func setAllowedInfoHashes(_ infoHashes: Set<InfoHash>?) {
        policy.withLock { $0.allowedInfoHashes = infoHashes }
    }

    public func setPasskeys(_ passkeys: Set<String>?) {
        policy.withLock { $0.passkeys = passkeys }
    }

    /// False when `address` has used up its request rate.
    func admit(_ address: TrackerPeerAddress) -> Bool {
        guard configuration.rateLimit.ratePerSecond > 0 else { return true }
        let now = clock()
        let allowed = limiter.withLock { $0.allow(address, now: now) }
        if !allowed { counters.rateLimited.add(1, ordering: .relaxed) }
        return allowed
    }

    // MARK: Announce and scrape

    func shard(for infoHash: InfoHash) -> Shard {
        shards[Int(infoHash.bytes[0] ^ infoHash.bytes[19]) % shards.count]
    }

    /// An announce that parsed: the policy, then the registry. `source` is the address the request came
    /// from; the peer is registered there with the port it announced (its `ip` field is not trusted).
    func announce(
        _ request: AnnounceRequest, passkey: Substring?, source: TrackerPeerAddress
    ) -> Result<RegistryAnswer, TrackerRefusal> {
        if let refusal = policy.withLock({ $0.refusal(infoHash: request.infoHash, passkey: passkey) }) {
            return .failure(TrackerRefusal(reason: refusal))
        }
        let numWant = min(request.numWant ?? configuration.defaultNumWant, configuration.maximumNumWant)
        let announce = RegistryAnnounce(
            infoHash: request.infoHash, peerID: TrackerPeerID(request.peerID)!, address: source.withPort(request.port),
            isSeed: request.left == 0, event: request.event, numWant: numWant)
        let now = self.now
        let outcome = shard(for: request.infoHash).state.withLock { state in
            let completedBefore = state.registry.completedDownloads
            let outcome = state.registry.announce(announce, now: now, using: &state.random)
            return (outcome, state.registry.completedDownloads - completedBefore)
        }
        counters.announces.add(1, ordering: .relaxed)
        if outcome.1 > 0 { counters.completed.add(outcome.1, ordering: .relaxed) }
        switch outcome.0 {
        case .answered(let answer): return .success(answer)
        case .refused(let reason): return .failure(TrackerRefusal(reason: reason))
        }
    }

    func scrape(_ infoHashes: [InfoHash], passkey: Substring?) -> Result<[ScrapeStats], TrackerRefusal> {
        let policy = self.policy.withLock { $0 }
        if let refusal = policy.refusal(passkey: passkey) { return .failure(TrackerRefusal(reason: refusal)) }
        counters.scrapes.add(1, ordering: .relaxed)
        return .success(
            infoHashes.map { infoHash in
                // An unlisted torrent scrapes as unknown rather than failing the whole scrape.
                if let allowed = policy.allowedInfoHashes, !allowed.contains(infoHash) {
                    return ScrapeStats(complete: 0, downloaded: 0, incomplete: 0)
                }
                return shard(for: infoHash).state.withLock { $0.registry.stats(for: infoHash) }
            })
    }

    // MARK: Housekeeping

    /// Drops peers that stopped announcing; returns how many. Shard by shard, so announces go on.
    @discardableResult
    public func expirePeers() -> Int {
        let now = self.now
        var expired = 0
        for shard in shards { expired += shard.state.withLock { $0.registry.expire(now: now) } }
        let seconds = clock()
        limiter.withLock { $0.forgetIdle(now: seconds) }
        return expired
    }

    public func restoreCompleted(_ counts: [InfoHash: Int]) {
        var byShard: [ObjectIdentifier: [InfoHash: Int]] = [:]
        for (infoHash, count) in counts {
            byShard[ObjectIdentifier(shard(for: infoHash)), default: [:]][infoHash] = count
        }
        for shard in shards {
            guard let part = byShard[ObjectIdentifier(shard)] else { continue }
            shard.state.withLock { $0.registry.restoreCompleted(part) }
        }
    }

    /// Marks counts as changed again after a failed save.
    public func restoreChangedCompleted(_ counts: [InfoHash: Int]) {
        for shard in shards {
            let mine = counts.keys.filter { self.shard(for: $0) === shard }
            if !mine.isEmpty { shard.state.withLock { $0.registry.markCompletedChanged(mine) } }
        }
    }

    /// Completed counts that changed since the last call, for the database.
    public func takeChangedCompletedCounts() -> [InfoHash: Int] {
        var counts: [InfoHash: Int] = [:]
        for shard in shards {
            counts.merge(shard.state.withLock { $0.registry.takeChangedCompletedCounts() }) { $1 }
        }
        return counts
    }
}

/// A `failure reason` for the client.
struct TrackerRefusal: Error, Sendable {
    var reason: String
}

extension String {
    func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
