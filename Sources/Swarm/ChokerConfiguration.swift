/// The choker's tunables; the defaults are the named `SwarmSettings` values.
public struct ChokerConfiguration: Hashable, Sendable {
    /// How regular slots are handed out while we seed (nothing to get back from anyone).
    public enum SeedingMode: Hashable, Sendable {
        /// To the peers we upload to fastest: most bytes out per slot.
        case uploadRate
        /// In turns of `seedingTurnDuration`: every interested peer gets served (libtorrent's default).
        case roundRobin
    }

    /// How regular slots are handed out while we download.
    public enum LeechingMode: Hashable, Sendable {
        /// To the peers sending us the most: BEP 3's tit-for-tat.
        case reciprocate
        /// To the peers we trade the most with, both ways: what they send us plus what we send them. For a viewer
        /// of a stream: the peers behind it in the video have nothing it lacks, so tit-for-tat chokes them at every
        /// round however much they need; counting what it sends them keeps serving the peers it serves, and their
        /// pieces complete (docs/choking-and-requests.md).
        case exchange
    }

    /// Regular (tit-for-tat) upload slots; the optimistic unchoke comes on top.
    public var regularSlots: Int
    public var seedingMode: SeedingMode
    public var leechingMode: LeechingMode
    /// How often the engine should run a round (`Choker.isRoundDue(now:)`).
    public var rechokeInterval: Duration
    /// How long the optimistic unchoke stays with one peer.
    public var optimisticInterval: Duration
    /// Peers connected for less than this are new for the optimistic draw.
    public var newPeerWindow: Duration
    /// How many tickets a new peer gets in the optimistic draw (others get one).
    public var newPeerOptimisticWeight: Int
    /// How long a seeding round-robin turn lasts.
    public var seedingTurnDuration: Duration
    /// Extra slots a newcomer gets at once when it becomes interested, until the next round (the engine's rule).
    public var newcomerSlots: Int

    public init(
        regularSlots: Int = SwarmSettings.regularUnchokeSlots,
        seedingMode: SeedingMode = .roundRobin,
        leechingMode: LeechingMode = .reciprocate,
        rechokeInterval: Duration = SwarmSettings.rechokeInterval,
        optimisticInterval: Duration = SwarmSettings.optimisticUnchokeInterval,
        newPeerWindow: Duration = SwarmSettings.newPeerWindow,
        newPeerOptimisticWeight: Int = SwarmSettings.newPeerOptimisticWeight,
        seedingTurnDuration: Duration = SwarmSettings.seedingTurnDuration,
        newcomerSlots: Int = SwarmSettings.newcomerUnchokeSlots
    ) {
        self.newcomerSlots = max(0, newcomerSlots)
        precondition(regularSlots >= 0, "regular slots cannot be negative")
        precondition(newPeerOptimisticWeight >= 1, "a new peer needs at least one ticket")
        self.regularSlots = regularSlots
        self.seedingMode = seedingMode
        self.leechingMode = leechingMode
        self.rechokeInterval = rechokeInterval
        self.optimisticInterval = optimisticInterval
        self.newPeerWindow = newPeerWindow
        self.newPeerOptimisticWeight = newPeerOptimisticWeight
        self.seedingTurnDuration = seedingTurnDuration
    }
}
