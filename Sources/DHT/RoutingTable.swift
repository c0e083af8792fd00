/// The Kademlia routing table of BEP 5: buckets of at most K nodes, bucket `i` holding the nodes whose
/// IDs share exactly `i` leading bits with ours, the last bucket holding every node closer than that.
/// Only the last bucket (the one our own ID falls in) splits when full, so the table knows many nodes
/// near itself and a few far away, and holds at most K × 160 nodes plus as many replacements.
///
/// Times are seconds on a monotonic clock (`ContinuousClock` seconds, or anything that only moves
/// forward), passed in by the caller like every other pure module of Shoal.
///
/// Only nodes that answered one of our queries enter the table (`nodeResponded`): a node that merely
/// queried us, or that another node told us about, could be spoofed or could be a read-only node
/// (BEP 43). Nodes restored from a snapshot enter unconfirmed and give way to any node that answers.
public struct RoutingTable: Sendable {
    public struct Settings: Sendable, Equatable {
        /// K: nodes per bucket.
        public var bucketSize: Int
        /// Nodes that answered but found their bucket full, kept per bucket to replace bad nodes.
        public var replacementCacheSize: Int
        public var maximumBuckets: Int
        /// Seconds of silence after which a node is questionable and a bucket wants a refresh.
        public var freshness: Double
        /// Unanswered queries in a row that make a node bad.
        public var maximumFailures: Int
        /// At most one node per IP address in each bucket: one host cannot fill a bucket with many
        /// ports (a cheap Sybil attack). Off for tests with many nodes on one loopback address.
        public var onePerAddressPerBucket: Bool
        /// Refuse nodes whose IDs are not BEP 42 IDs for their address (exempt addresses pass).
        public var requiresSecureIDs: Bool

        public init(
            bucketSize: Int = DHTLimits.bucketSize, replacementCacheSize: Int = DHTLimits.bucketSize,
            maximumBuckets: Int = DHTLimits.maximumBuckets, freshness: Double = DHTLimits.nodeFreshness,
            maximumFailures: Int = DHTLimits.maximumNodeFailures, onePerAddressPerBucket: Bool = true,
            requiresSecureIDs: Bool = false
        ) {
            precondition(bucketSize > 0 && maximumBuckets > 0 && maximumBuckets <= NodeID.bitCount)
            self.bucketSize = bucketSize
            self.replacementCacheSize = replacementCacheSize
            self.maximumBuckets = maximumBuckets
            self.freshness = freshness
            self.maximumFailures = maximumFailures
            self.onePerAddressPerBucket = onePerAddressPerBucket
            self.requiresSecureIDs = requiresSecureIDs
        }
    }

    /// A node in the table, with what we know of its liveness.
    public struct Entry: Hashable, Sendable {
        public var node: CompactNodeInfo
        /// When it last answered one of our queries; nil if it never did (restored from a snapshot).
        public var lastResponse: Double?
        /// When it last sent us a query.
        public var lastQuery: Double?
        /// Our queries it left unanswered since its last answer.
        public var failures: Int

        /// The latest sign of life, for ordering pings.
        var lastActivity: Double { max(lastResponse ?? -.infinity, lastQuery ?? -.infinity) }
    }

    /// What `nodeResponded` did with a node.
    public enum Insertion: Hashable, Sendable {
        case added
        /// Already in the table: its liveness was renewed.
        case updated
        /// Took the place of a bad or never-confirmed node.
        case replaced(CompactNodeInfo)
        /// The bucket is full of live nodes: the node waits in the replacement cache. The caller should
        /// ping these questionable nodes of the bucket; if they fail, the waiting node moves in.
        case cached(ping: [CompactNodeInfo])
        case rejected(Rejection)
    }

    public enum Rejection: Hashable, Sendable {
        case ownID
        case portZero
        /// Another ID already lives at this IP and port.
        case endpointTaken
        /// This ID is already in the table at another address.
        case idAtOtherEndpoint
        /// The bucket already holds a node of this IP address.
        case addressInBucket
        /// Not a BEP 42 ID for its address.
        case insecureID
    }

    struct Bucket: Sendable {
        var nodes: [Entry] = []
        var replacements: [Entry] = []
        var lastChanged: Double
    }

    public let ownID: NodeID
    public let settings: Settings
    var buckets: [Bucket]
    /// Every endpoint in the table or a replacement cache, and its ID: one node per IP and port.
    var endpoints: [DHTEndpoint: NodeID] = [:]

    public init(ownID: NodeID, settings: Settings = Settings(), now: Double) {
        self.ownID = ownID
        self.settings = settings
        buckets = [Bucket(lastChanged: now)]
    }

    /// Nodes in the buckets (replacements not counted).
    public var count: Int { buckets.reduce(0) { $0 + $1.nodes.count } }
    public var bucketCount: Int { buckets.count }
    public var replacementCount: Int { buckets.reduce(0) { $0 + $1.replacements.count } }

    /// The nodes of bucket `index`, for inspection.
    public func entries(inBucket index: Int) -> [Entry] { buckets[index].nodes }

    /// Every node in the buckets.
    public var allEntries: [Entry] { buckets.flatMap(\.nodes) }

    public func state(of entry: Entry, now: Double) -> NodeState {
        if entry.failures >= settings.maximumFailures { return .bad }
        guard entry.failures == 0, let lastResponse = entry.lastResponse else { return .questionable }
        if now - lastResponse < settings.freshness { return .good }
        if let lastQuery = entry.lastQuery, now - lastQuery < settings.freshness { return .good }
        return .questionable
    }

    /// The bucket a node of `id` belongs in.
    public func bucketIndex(for id: NodeID) -> Int {
        min(ownID.commonPrefixLength(with: id), buckets.count - 1)
    }

    /// The entry for `endpoint`, in a bucket or a replacement cache.
    public func entry(at endpoint: DHTEndpoint) -> Entry? {
        guard let id = endpoints[endpoint], let (bucket, index, replacement) = locate(id) else { return nil }
        return replacement ? buckets[bucket].replacements[index] : buckets[bucket].nodes[index]
    }

    /// Where `id` is: bucket, position, and whether in the replacement cache.
    func locate(_ id: NodeID) -> (bucket: Int, index: Int, replacement: Bool)? {
        let bucket = bucketIndex(for: id)
        if let index = buckets[bucket].nodes.firstIndex(where: { $0.node.id == id }) { return (bucket, index, false) }
        if let index = buckets[bucket].replacements.firstIndex(where: { $0.node.id == id }) {
            return (bucket, index, true)
        }
        return nil
    }
}
