extension RoutingTable {
    /// Records that `node` answered one of our queries at `now`: renews it, adds it, or caches it as a
    /// replacement, following BEP 5's order: room in the bucket, split our own bucket, replace a bad or
    /// never-confirmed node, else wait in the replacement cache.
    @discardableResult
    public mutating func nodeResponded(_ node: CompactNodeInfo, now: Double) -> Insertion {
        insert(node, now: now, confirmed: true)
    }

    /// Records that `node` sent us a query. Known nodes that once answered stay good while they keep
    /// querying (BEP 5); unknown nodes are not added (a query proves nothing about its source address).
    /// Returns whether the node was known.
    @discardableResult
    public mutating func nodeQueried(_ node: CompactNodeInfo, now: Double) -> Bool {
        guard endpoints[node.endpoint] == node.id, let (bucket, index, replacement) = locate(node.id) else {
            return false
        }
        if replacement {
            buckets[bucket].replacements[index].lastQuery = now
        } else {
            buckets[bucket].nodes[index].lastQuery = now
        }
        return true
    }

    /// Records that the node at `endpoint` left a query unanswered. Once bad, it gives its place to the
    /// newest replacement, if any. Returns the node that moved in.
    @discardableResult
    public mutating func nodeFailed(at endpoint: DHTEndpoint, now: Double) -> CompactNodeInfo? {
        guard let id = endpoints[endpoint], let (bucket, index, replacement) = locate(id) else { return nil }
        if replacement {
            // A replacement that fails is not worth keeping for later.
            let removed = buckets[bucket].replacements.remove(at: index)
            endpoints.removeValue(forKey: removed.node.endpoint)
            return nil
        }
        buckets[bucket].nodes[index].failures += 1
        guard state(of: buckets[bucket].nodes[index], now: now) == .bad,
            let newest = buckets[bucket].replacements.indices.max(by: {
                buckets[bucket].replacements[$0].lastActivity < buckets[bucket].replacements[$1].lastActivity
            })
        else { return nil }
        let promoted = buckets[bucket].replacements.remove(at: newest)
        endpoints.removeValue(forKey: buckets[bucket].nodes[index].node.endpoint)
        buckets[bucket].nodes[index] = promoted
        buckets[bucket].lastChanged = now
        return promoted.node
    }

    /// Removes the node at `endpoint` wherever it is (it sent garbage, or claimed an ID it cannot have).
    public mutating func remove(at endpoint: DHTEndpoint) {
        guard let id = endpoints.removeValue(forKey: endpoint), let (bucket, index, replacement) = locate(id) else {
            return
        }
        if replacement {
            buckets[bucket].replacements.remove(at: index)
        } else {
            buckets[bucket].nodes.remove(at: index)
        }
    }

    mutating func insert(_ node: CompactNodeInfo, now: Double, confirmed: Bool) -> Insertion {
        if node.id == ownID { return .rejected(.ownID) }
        if node.endpoint.port == 0 { return .rejected(.portZero) }
        if settings.requiresSecureIDs && !node.id.isSecure(for: node.endpoint.host) {
            return .rejected(.insecureID)
        }
        if let existing = endpoints[node.endpoint], existing != node.id {
            // A bad node's address may be reused by a new node (a restarted client with a new ID).
            guard let old = entry(at: node.endpoint), state(of: old, now: now) == .bad else {
                return .rejected(.endpointTaken)
            }
            remove(at: node.endpoint)
        }
        if let (bucket, index, replacement) = locate(node.id) {
            let entry = replacement ? buckets[bucket].replacements[index] : buckets[bucket].nodes[index]
            guard entry.node.endpoint == node.endpoint else { return .rejected(.idAtOtherEndpoint) }
            guard confirmed else { return .updated }
            if !replacement {
                buckets[bucket].nodes[index].lastResponse = now
                buckets[bucket].nodes[index].failures = 0
                buckets[bucket].lastChanged = now
                return .updated
            }
            // A replacement answered again: try to move it into the bucket.
            buckets[bucket].replacements.remove(at: index)
            endpoints.removeValue(forKey: node.endpoint)
        }
        let entry = Entry(node: node, lastResponse: confirmed ? now : nil, lastQuery: nil, failures: 0)
        while true {
            let index = bucketIndex(for: node.id)
            if settings.onePerAddressPerBucket {
                let host = node.endpoint.host
                let bucket = buckets[index]
                let sameHost = (bucket.nodes + bucket.replacements).filter { $0.node.endpoint.host == host }
                // A bad node of that address gives way (a client restarted on a new port with a new ID).
                guard sameHost.allSatisfy({ state(of: $0, now: now) == .bad }) else {
                    return .rejected(.addressInBucket)
                }
                for stale in sameHost { remove(at: stale.node.endpoint) }
            }
            if buckets[index].nodes.count < settings.bucketSize {
                buckets[index].nodes.append(entry)
                buckets[index].lastChanged = now
                endpoints[node.endpoint] = node.id
                return .added
            }
            if index == buckets.count - 1 && buckets.count < settings.maximumBuckets {
                split(now: now)
                continue
            }
            return displaceOrCache(entry, bucket: index, now: now)
        }
    }

    /// The bucket is full: replace its worst node if it has a bad or never-confirmed one, else keep the
    /// new node in the replacement cache (newest kept, oldest dropped).
    private mutating func displaceOrCache(_ entry: Entry, bucket index: Int, now: Double) -> Insertion {
        let nodes = buckets[index].nodes
        let victim =
            nodes.firstIndex { state(of: $0, now: now) == .bad }
            ?? (entry.lastResponse == nil ? nil : nodes.firstIndex { $0.lastResponse == nil })
        if let victim {
            let old = nodes[victim].node
            endpoints.removeValue(forKey: old.endpoint)
            buckets[index].nodes[victim] = entry
            buckets[index].lastChanged = now
            endpoints[entry.node.endpoint] = entry.node.id
            return .replaced(old)
        }
        guard entry.lastResponse != nil, settings.replacementCacheSize > 0 else { return .cached(ping: []) }
        if buckets[index].replacements.count >= settings.replacementCacheSize,
            let oldest = buckets[index].replacements.indices.min(by: {
                buckets[index].replacements[$0].lastActivity < buckets[index].replacements[$1].lastActivity
            })
        {
            endpoints.removeValue(forKey: buckets[index].replacements.remove(at: oldest).node.endpoint)
        }
        buckets[index].replacements.append(entry)
        endpoints[entry.node.endpoint] = entry.node.id
        let questionable = nodes.filter { state(of: $0, now: now) == .questionable }
        return .cached(ping: questionable.sorted { $0.lastActivity < $1.lastActivity }.map(\.node))
    }

    /// Splits the last bucket: nodes sharing one more bit with our ID move to a new last bucket, and
    /// each half fills free places from its replacements.
    private mutating func split(now: Double) {
        let splitting = buckets.count - 1
        var old = buckets[splitting]
        var new = Bucket(lastChanged: now)
        let ownID = self.ownID
        let isFar: (Entry) -> Bool = { ownID.commonPrefixLength(with: $0.node.id) == splitting }
        new.nodes = old.nodes.filter { !isFar($0) }
        new.replacements = old.replacements.filter { !isFar($0) }
        old.nodes = old.nodes.filter(isFar)
        old.replacements = old.replacements.filter(isFar)
        Self.promoteReplacements(&old, limit: settings.bucketSize)
        Self.promoteReplacements(&new, limit: settings.bucketSize)
        buckets[splitting] = old
        buckets.append(new)
    }

    private static func promoteReplacements(_ bucket: inout Bucket, limit: Int) {
        bucket.replacements.sort { $0.lastActivity > $1.lastActivity }
        while bucket.nodes.count < limit, !bucket.replacements.isEmpty {
            bucket.nodes.append(bucket.replacements.removeFirst())
        }
    }
}
