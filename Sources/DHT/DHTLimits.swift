/// Named limits of the DHT, in one place. Each bounds what a hostile or broken node can make Shoal
/// hold or send; the numbers follow BEP 5 and what libtorrent does where BEP 5 says nothing.
public enum DHTLimits {
    /// K: nodes per routing-table bucket, and nodes a lookup ends with (BEP 5).
    public static let bucketSize = 8

    /// Queries a lookup keeps in flight at once (Kademlia's alpha).
    public static let lookupParallelism = 3

    /// The largest KRPC packet read. Real packets stay well under an Ethernet MTU (a `get_peers`
    /// answer with 100 IPv4 peers is about 1,000 bytes); anything longer is dropped unread.
    public static let maximumPacketSize = 1_500

    /// The largest answer sent to a node whose address is proven (it answered one of our queries from
    /// that address): under the smallest common path MTU less IP and UDP headers, so it is never split.
    public static let maximumResponseSize = 1_200

    /// Lookup queries (`find_node`, `get_peers`) are padded to this size, so that a node that does not know us yet
    /// may answer with a full list of 8 nodes, a token and about ten peers under the amplification rule.
    public static let lookupQuerySize = 400

    /// Bencode nesting accepted in a packet. KRPC needs 3 levels (message, arguments, `values` list);
    /// the rest is room for extension keys that are skipped.
    public static let maximumNestingDepth = 8

    /// Longest transaction id accepted (`t`). libtorrent sends 2 bytes, others 4 to 8.
    public static let maximumTransactionIDLength = 16

    /// Longest token accepted in a `get_peers` answer or `announce_peer` query. Shoal's are 8 bytes,
    /// libtorrent's 4; some implementations send a whole SHA-1 (20 bytes).
    public static let maximumTokenLength = 32

    /// Longest `v` (client version) kept; a longer one is dropped as advisory noise.
    public static let maximumVersionLength = 16

    /// Characters of a remote error message kept for logs.
    public static let maximumErrorMessageLength = 200

    /// Seconds after which a node that has not been heard from is questionable, and after which a
    /// bucket that has not changed is refreshed (BEP 5: 15 minutes).
    public static let nodeFreshness: Double = 15 * 60

    /// Consecutive unanswered queries that make a node bad (BEP 5: "multiple queries in a row").
    public static let maximumNodeFailures = 2

    /// Routing-table buckets at most: one per bit of prefix shared with our own ID.
    public static let maximumBuckets = NodeID.bitCount

    /// Seconds an announced peer is kept without a new announce (BEP 5 suggests 30 minutes).
    public static let peerLifetime: Double = 30 * 60

    /// Peers kept per infohash, infohashes kept, and peers kept over all infohashes.
    public static let maximumPeersPerInfoHash = 500
    public static let maximumInfoHashes = 2_000
    public static let maximumStoredPeers = 50_000

    /// Peers returned in one `values` list: 100 IPv4 peers are 800 bytes of bencode, which with the
    /// rest of a `get_peers` answer stays under `maximumResponseSize`.
    public static let maximumValuesPerResponse = 100

    /// Seconds between token secret rotations (BEP 5: tokens up to 10 minutes old are accepted, made
    /// of the current and the previous secret rotated every 5 minutes).
    public static let tokenRotationInterval: Double = 5 * 60

    /// Bytes of HMAC kept as a token.
    public static let tokenLength = 8
}
