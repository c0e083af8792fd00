import TorrentModel

/// The swarms a tracker knows: peers per torrent, seeders, leechers and completed downloads. One value
/// is one shard; the tracker holds several behind locks, picked by infohash, so announces for different
/// torrents rarely contend. Time is the caller's clock in whole seconds.
public struct SwarmRegistry: Sendable {
    public struct Settings: Sendable {
        /// A peer that has not announced for this long is dropped.
        public var peerTimeout: UInt32
        /// A re-announce without an event sooner than this after the last one gets a warning.
        public var minimumInterval: UInt32
        /// New swarms beyond this many are refused (in open mode anyone can name any infohash).
        public var maximumSwarms: Int
        /// New peers beyond this many in one swarm are answered but not remembered.
        public var maximumPeersPerSwarm: Int

        public init(peerTimeout: UInt32, minimumInterval: UInt32, maximumSwarms: Int, maximumPeersPerSwarm: Int) {
            self.peerTimeout = peerTimeout
            self.minimumInterval = minimumInterval
            self.maximumSwarms = maximumSwarms
            self.maximumPeersPerSwarm = maximumPeersPerSwarm
        }
    }

    public enum Outcome: Sendable {
        case answered(RegistryAnswer)
        /// The swarm table is full; the message is the `failure reason`.
        case refused(String)
    }

    public var settings: Settings
    private var swarms: [InfoHash: TrackedSwarm] = [:]
    /// Swarms whose completed count changed since the last `takeChangedCompletedCounts()`.
    private var changedCompleted: Set<InfoHash> = []
    public private(set) var peerCount = 0
    public private(set) var seederCount = 0
    /// `completed` events counted (each download once) since this registry was made.
    public private(set) var completedDownloads = 0

    public init(settings: Settings) {
        self.settings = settings
    }

    public var swarmCount: Int { swarms.count }
    public var leecherCount: Int { peerCount - seederCount }

    public mutating func announce(
        _ announce: RegistryAnnounce, now: UInt32, using random: inout some RandomNumberGenerator
    ) -> Outcome {
        if announce.event == .stopped {
            // A stop for a swarm we do not know must not create one.
            guard var swarm = swarms.removeValue(forKey: announce.infoHash) else {
                return .answered(
                    RegistryAnswer(peers: [], stats: ScrapeStats(complete: 0, downloaded: 0, incomplete: 0)))
            }
            if let removed = swarm.remove(announce.address) { countOut(removed) }
            let stats = Self.stats(of: swarm)
            if !swarm.isEmpty || swarm.completed > 0 { swarms[announce.infoHash] = swarm }
            return .answered(RegistryAnswer(peers: [], stats: stats))
        }
        if swarms.count >= settings.maximumSwarms && swarms[announce.infoHash] == nil {
            return .refused("the tracker is full: it tracks \(settings.maximumSwarms) torrents already")
        }
        // In place: no copy of the swarm, one lookup.
        let change = Self.apply(
            announce, to: &swarms[announce.infoHash, default: TrackedSwarm()], now: now, settings: settings,
            using: &random)
        peerCount += change.peers
        seederCount += change.seeders
        if change.completed {
            completedDownloads += 1
            changedCompleted.insert(announce.infoHash)
        }
        let answer = change.answer
        return .answered(answer)
    }

    /// One announce (not `stopped`) on its swarm; what it changed in the registry's counts.
    private static func apply(
        _ announce: RegistryAnnounce, to swarm: inout TrackedSwarm, now: UInt32, settings: Settings,
        using random: inout some RandomNumberGenerator
    ) -> (answer: RegistryAnswer, peers: Int, seeders: Int, completed: Bool) {
        let previous = swarm.peer(at: announce.address)
        let peer = TrackedPeer(
            address: announce.address, peerID: announce.peerID, isSeed: announce.isSeed, lastSeen: now)
        var tooSoon = false
        var peers = 0
        var seeders = 0
        if let previous {
            tooSoon = announce.event == .none && now &- previous.lastSeen < settings.minimumInterval
            swarm.upsert(peer)
            seeders = (peer.isSeed ? 1 : 0) - (previous.isSeed ? 1 : 0)
        } else if swarm.peers.count < settings.maximumPeersPerSwarm {
            swarm.upsert(peer)
            peers = 1
            seeders = peer.isSeed ? 1 : 0
        }
        // A download counts once: a seed that says `completed` again is not another download.
        let completed = announce.event == .completed && previous?.isSeed != true
        if completed { swarm.completed += 1 }
        let sample = swarm.sample(
            count: announce.numWant, excluding: announce.address, forSeed: announce.isSeed, using: &random)
        let answer = RegistryAnswer(peers: sample, stats: stats(of: swarm), announcedTooSoon: tooSoon)
        return (answer, peers, seeders, completed)
    }

    /// BEP 48 figures; a torrent the tracker has never seen is all zeros.
    public func stats(for infoHash: InfoHash) -> ScrapeStats {
        swarms[infoHash].map(Self.stats(of:)) ?? ScrapeStats(complete: 0, downloaded: 0, incomplete: 0)
    }

    /// Drops peers not seen for `peerTimeout`, and swarms left with no peers and no completed downloads.
    /// Returns how many peers went. O(peers).
    @discardableResult
    public mutating func expire(now: UInt32) -> Int {
        guard now > settings.peerTimeout else { return 0 }
        let cutoff = now - settings.peerTimeout
        var expired = 0
        for infoHash in Array(swarms.keys) {
            guard var swarm = swarms.removeValue(forKey: infoHash) else { continue }
            let gone = swarm.expire(before: cutoff)
            expired += gone.peers
            peerCount -= gone.peers
            seederCount -= gone.seeds
            if !swarm.isEmpty || swarm.completed > 0 { swarms[infoHash] = swarm }
        }
        return expired
    }

    /// Counts that could not be saved, marked as changed again for the next save.
    public mutating func markCompletedChanged(_ infoHashes: some Sequence<InfoHash>) {
        for infoHash in infoHashes where swarms[infoHash] != nil { changedCompleted.insert(infoHash) }
    }

    /// Completed counts read back from the database at start.
    public mutating func restoreCompleted(_ counts: [InfoHash: Int]) {
        for (infoHash, count) in counts where count > 0 {
            swarms[infoHash, default: TrackedSwarm()].completed = count
        }
    }

    /// The completed counts changed since the last call, to be saved.
    public mutating func takeChangedCompletedCounts() -> [InfoHash: Int] {
        var counts: [InfoHash: Int] = [:]
        for infoHash in changedCompleted { counts[infoHash] = swarms[infoHash]?.completed ?? 0 }
        changedCompleted.removeAll(keepingCapacity: true)
        return counts
    }

    private mutating func countOut(_ peer: TrackedPeer) {
        peerCount -= 1
        if peer.isSeed { seederCount -= 1 }
    }

    private static func stats(of swarm: TrackedSwarm) -> ScrapeStats {
        ScrapeStats(complete: swarm.seeders, downloaded: swarm.completed, incomplete: swarm.leechers)
    }
}
