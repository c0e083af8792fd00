extension RoutingTable {
    /// The `count` nodes closest to `target` by XOR distance, closest first, leaving out bad nodes: the
    /// answer to `find_node` and `get_peers`, and the start of a lookup. With `goodOnly`, questionable
    /// nodes are left out too (for answers to others, where a dead node wastes their query).
    public func closest(
        to target: NodeID, count: Int = DHTLimits.bucketSize, family: DHTEndpoint.Family? = nil,
        goodOnly: Bool = false, now: Double
    ) -> [CompactNodeInfo] {
        guard count > 0 else { return [] }
        var candidates: [(distance: NodeID, node: CompactNodeInfo)] = []
        for bucket in buckets {
            for entry in bucket.nodes {
                if let family, entry.node.endpoint.family != family { continue }
                let state = state(of: entry, now: now)
                if state == .bad || (goodOnly && state != .good) { continue }
                candidates.append((entry.node.id.distance(to: target), entry.node))
            }
        }
        candidates.sort { $0.distance < $1.distance }
        return candidates.prefix(count).map(\.node)
    }

    /// Buckets that have not changed for the freshness period (BEP 5: refresh with a `find_node` for a
    /// random ID in the bucket's range, `refreshTarget`), in index order.
    public func bucketsNeedingRefresh(now: Double) -> [Int] {
        buckets.indices.filter { now - buckets[$0].lastChanged >= settings.freshness }
    }

    /// A random ID in bucket `index`'s range: sharing exactly `index` bits with our ID, or, for the last
    /// bucket, at least that many.
    public func refreshTarget(forBucket index: Int, using generator: inout some RandomNumberGenerator) -> NodeID {
        precondition(buckets.indices.contains(index), "no bucket \(index)")
        return NodeID.random(
            sharingPrefixOf: ownID, length: index, flippingNextBit: index < buckets.count - 1, using: &generator)
    }

    /// Notes that a refresh of bucket `index` started, so it is not asked for again for a while.
    public mutating func markRefreshed(bucket index: Int, now: Double) {
        guard buckets.indices.contains(index) else { return }
        buckets[index].lastChanged = now
    }

    /// Questionable nodes to ping, the longest silent first: a node that answers becomes good again, one
    /// that does not goes bad and makes room for a replacement.
    public func nodesToPing(now: Double, maximum: Int) -> [CompactNodeInfo] {
        let questionable = buckets.flatMap(\.nodes).filter { state(of: $0, now: now) == .questionable }
        return questionable.sorted { $0.lastActivity < $1.lastActivity }.prefix(max(0, maximum)).map(\.node)
    }

    /// Nodes by state, for the DHT's health figures.
    public func stateCounts(now: Double) -> [NodeState: Int] {
        var counts: [NodeState: Int] = [.good: 0, .questionable: 0, .bad: 0]
        for entry in buckets.flatMap(\.nodes) { counts[state(of: entry, now: now), default: 0] += 1 }
        return counts
    }
}

extension RoutingTable {
    /// True when the node at exactly `endpoint` has answered one of our queries: it receives packets
    /// there, so answering it in full cannot be reflected at someone else (`ResponseBudget`).
    public func hasAnswered(from endpoint: DHTEndpoint) -> Bool {
        entry(at: endpoint)?.lastResponse != nil
    }
}
