/// When a torrent's next DHT search or announce is due. A successful round waits the regular interval
/// (libtorrent's `dht_announce_interval` is 15 minutes); a failed one (too few nodes took the announce, or a
/// search found no peer) is retried soon, then less often, so a node whose table is still empty joins
/// in seconds without hammering anyone. Soon matters: a newcomer gets short answers from nodes it has not
/// proven its address to (`ResponseBudget`), and each round proves it to the nodes it asked, so the next
/// one gets further. An announce that only a node or two took is such a short round: its lookup stopped
/// short of the nodes closest to the infohash, which are the ones a searcher asks, so it is retried too.
public struct DHTAnnounceSchedule: Sendable {
    public struct Settings: Sendable, Hashable {
        /// After an announce that at least `wellAnnouncedNodes` nodes acknowledged.
        public var announceInterval: Double
        /// Acknowledgements that make an announce a success: BEP 5's bucket size, the closest nodes a searcher
        /// asks. (A DHT smaller than that is announced to once a `maximumRetryDelay`, which costs it little.)
        public var wellAnnouncedNodes: Int
        /// After a search-only round (no port to announce yet, a magnet link's metadata) that found peers.
        public var searchInterval: Double
        /// The first retry after a failed round; each further failure doubles it up to `maximumRetryDelay`.
        public var firstRetryDelay: Double
        public var maximumRetryDelay: Double

        public init(
            announceInterval: Double = 15 * 60, wellAnnouncedNodes: Int = DHTLimits.bucketSize,
            searchInterval: Double = 30, firstRetryDelay: Double = 1, maximumRetryDelay: Double = 60
        ) {
            self.announceInterval = announceInterval
            self.wellAnnouncedNodes = wellAnnouncedNodes
            self.searchInterval = searchInterval
            self.firstRetryDelay = firstRetryDelay
            self.maximumRetryDelay = maximumRetryDelay
        }
    }

    /// What a round achieved.
    public enum Outcome: Sendable, Hashable {
        /// `announce_peer` went out and this many nodes acknowledged it.
        case announced(acknowledged: Int)
        /// A search without announce found this many peers.
        case searched(peers: Int)
    }

    public let settings: Settings
    private var retryDelay: Double

    public init(settings: Settings = Settings()) {
        self.settings = settings
        retryDelay = settings.firstRetryDelay
    }

    /// Seconds until the next round after one with `outcome`.
    public mutating func delay(after outcome: Outcome) -> Double {
        let succeeded: Bool
        let interval: Double
        switch outcome {
        case .announced(let acknowledged):
            succeeded = acknowledged >= max(1, settings.wellAnnouncedNodes)
            interval = settings.announceInterval
        case .searched(let peers):
            succeeded = peers > 0
            interval = settings.searchInterval
        }
        if succeeded {
            retryDelay = settings.firstRetryDelay
            return interval
        }
        defer { retryDelay = min(retryDelay * 2, settings.maximumRetryDelay) }
        return retryDelay
    }
}
