/// What one received announcement came to (`LSDState.receive`).
public struct LSDReception: Sendable, Equatable {
    /// The announcement carried our cookie: it is our own, looped back by the group, and nothing else was done.
    public var isOwn = false
    /// Peers to report, for torrents we announce ourselves.
    public var discoveries: [LSDDiscovery] = []
    /// Infohashes of torrents we do not announce (BEP 14: only our torrents matter).
    public var notOurs = 0
    /// Infohashes of ours that the report limiter dropped.
    public var rateLimited = 0

    public init(isOwn: Bool = false, discoveries: [LSDDiscovery] = [], notOurs: Int = 0, rateLimited: Int = 0) {
        self.isOwn = isOwn
        self.discoveries = discoveries
        self.notOurs = notOurs
        self.rateLimited = rateLimited
    }
}
