/// What the user sees of one tracker: whether it works, and the last thing it complained about.
public struct TrackerStatus: Hashable, Sendable {
    public enum State: Hashable, Sendable {
        /// Not tried yet: an earlier tracker of the list has answered every time.
        case notContacted
        /// Its last announce worked.
        case working
        /// Its last announce failed; `lastError` says why.
        case failing
    }

    public var url: String
    /// The BEP 12 tier, counting from 0.
    public var tier: Int
    public var state: State
    /// Why the last announce failed (a `failure reason` among others); cleared when one works.
    public var lastError: String?
    /// The `warning message` of the last successful announce, if it had one.
    public var lastWarning: String?
    public var seeders: Int?
    public var leechers: Int?
    /// Peers in the last successful announce.
    public var lastPeerCount: Int
    public var consecutiveFailures: Int

    public init(url: String, tier: Int) {
        self.url = url
        self.tier = tier
        self.state = .notContacted
        self.lastPeerCount = 0
        self.consecutiveFailures = 0
    }
}
