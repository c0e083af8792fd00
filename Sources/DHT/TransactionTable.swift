/// Queries this node sent and has not had answered yet, keyed by transaction id (`t`, BEP 5). An answer
/// counts only if it carries a pending id and comes from the endpoint the query went to, so a spoofer must
/// guess both. Bounded: when `maximumPending` queries are out, no more are sent until some end.
///
/// Each query has two deadlines: after `stallTimeout` it is *stalled* (a lookup gives its slot to another
/// query but still takes a late answer), after `timeout` it has *timed out* (the node failed). Times are
/// seconds on any monotonic clock; `Purpose` is whatever the caller needs to route the answer.
public struct TransactionTable<Purpose: Sendable>: Sendable {
    public typealias Settings = TransactionTableSettings

    public struct Entry: Sendable {
        public var transactionID: [UInt8]
        public var endpoint: DHTEndpoint
        /// The ID we expect the answer from; nil for a bootstrap router or a ping-back.
        public var expectedID: NodeID?
        public var purpose: Purpose
        public var sentAt: Double
        public var stalled: Bool
    }

    public let settings: Settings
    private var entries: [UInt16: Entry] = [:]
    /// Endpoints with a query out, and how many: so the caller can avoid pinging a node twice at once.
    private var endpoints: [DHTEndpoint: Int] = [:]

    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    public var count: Int { entries.count }
    public var isFull: Bool { entries.count >= settings.maximumPending }

    /// Whether a query to `endpoint` is out.
    public func isPending(to endpoint: DHTEndpoint) -> Bool { endpoints[endpoint] != nil }

    /// Records a query about to be sent and returns its 2-byte transaction id; nil when the table is full.
    /// Ids are random (not a counter), so they do not tell an observer how busy the node is or what comes next.
    public mutating func register(
        to endpoint: DHTEndpoint, expectedID: NodeID?, purpose: Purpose, now: Double,
        using generator: inout some RandomNumberGenerator
    ) -> [UInt8]? {
        guard !isFull else { return nil }
        // At most half of the id space is taken, so this ends after two draws on average.
        var key = UInt16.random(in: .min ... .max, using: &generator)
        while entries[key] != nil { key = UInt16.random(in: .min ... .max, using: &generator) }
        let transactionID = [UInt8(key >> 8), UInt8(key & 0xFF)]
        entries[key] = Entry(
            transactionID: transactionID, endpoint: endpoint, expectedID: expectedID, purpose: purpose, sentAt: now,
            stalled: false)
        endpoints[endpoint, default: 0] += 1
        return transactionID
    }

    /// The pending query an answer with `transactionID` from `endpoint` belongs to, removed from the table;
    /// nil (and nothing removed) when the id is unknown or the answer came from elsewhere.
    public mutating func match(transactionID: [UInt8], from endpoint: DHTEndpoint) -> Entry? {
        guard transactionID.count == 2 else { return nil }
        let key = UInt16(transactionID[0]) << 8 | UInt16(transactionID[1])
        guard let entry = entries[key], entry.endpoint == endpoint else { return nil }
        remove(key)
        return entry
    }

    /// Marks queries older than the stall timeout as stalled and removes those older than the full timeout.
    /// Returns both, oldest first within each, so the caller can tell the lookups and the routing table.
    public mutating func expire(now: Double) -> (stalled: [Entry], timedOut: [Entry]) {
        var stalled: [Entry] = []
        var timedOut: [Entry] = []
        for (key, entry) in entries {
            if now - entry.sentAt >= settings.timeout {
                timedOut.append(entry)
                remove(key)
            } else if !entry.stalled && now - entry.sentAt >= settings.stallTimeout {
                entries[key]?.stalled = true
                stalled.append(entry)
            }
        }
        return (stalled.sorted { $0.sentAt < $1.sentAt }, timedOut.sorted { $0.sentAt < $1.sentAt })
    }

    /// Removes every pending query (the node is stopping) and returns them.
    public mutating func removeAll() -> [Entry] {
        defer {
            entries = [:]
            endpoints = [:]
        }
        return Array(entries.values)
    }

    private mutating func remove(_ key: UInt16) {
        guard let entry = entries.removeValue(forKey: key) else { return }
        let left = (endpoints[entry.endpoint] ?? 1) - 1
        endpoints[entry.endpoint] = left > 0 ? left : nil
    }
}

/// Limits of a `TransactionTable`, apart from the generic table so that configuration can name them.
public struct TransactionTableSettings: Sendable, Equatable {
    /// Queries out at once, at most. Below 32,768: at most half of the 2-byte ids are ever taken.
    public var maximumPending: Int
    public var stallTimeout: Double
    public var timeout: Double

    public init(maximumPending: Int = 2_048, stallTimeout: Double = 3, timeout: Double = 12) {
        precondition(maximumPending > 0 && maximumPending < 1 << 15, "maximumPending outside 1..<32768")
        precondition(stallTimeout > 0 && timeout >= stallTimeout)
        self.maximumPending = maximumPending
        self.stallTimeout = stallTimeout
        self.timeout = timeout
    }
}
