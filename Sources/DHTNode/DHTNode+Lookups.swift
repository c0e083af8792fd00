import DHT
import TorrentModel

extension DHTNode {
    /// Peers for `infoHash`: an iterative `get_peers` lookup, plus the peers announced to this node itself
    /// (it may be one of the nodes closest to the infohash). Empty when the node is stopped or busy.
    /// `onPeers` gets the peers the lookup finds as they come, before it ends (the result has them too).
    public func getPeers(
        _ infoHash: InfoHash, onPeers: (@Sendable ([PeerAddress]) -> Void)? = nil
    ) async -> [PeerAddress] {
        let result = await lookup(NodeID(infoHash), kind: .getPeers, onPeers: onPeers)
        return merged(result.peers, withStoredFor: infoHash)
    }

    /// Announces that we accept peer connections for `infoHash` on `port` (nil: the UDP source port, BEP 5
    /// `implied_port`): a `get_peers` lookup, then `announce_peer` with each token to the closest nodes
    /// that gave one. Returns once every announce was answered or timed out. `onPeers` as for `getPeers`.
    public func announce(
        _ infoHash: InfoHash, port: UInt16?, seed: Bool = false, onPeers: (@Sendable ([PeerAddress]) -> Void)? = nil
    ) async -> DHTAnnounceResult {
        let result = await lookup(NodeID(infoHash), kind: .getPeers, onPeers: onPeers)
        let peers = merged(result.peers, withStoredFor: infoHash)
        let targets = result.closest.compactMap { responder in responder.token.map { (responder.node, $0) } }
        guard !isStopped, !Task.isCancelled, !targets.isEmpty else {
            return DHTAnnounceResult(acknowledged: 0, sent: 0, peers: peers)
        }
        let run = nextRun
        nextRun += 1
        let now = self.now
        let acknowledged = await withTaskCancellationHandler {
            await announcing(targets, infoHash: infoHash, port: port, seed: seed, run: run, now: now)
        } onCancel: {
            cancel(run: run)
        }
        return DHTAnnounceResult(acknowledged: acknowledged, sent: targets.count, peers: peers)
    }

    /// Sends announce `run`'s `announce_peer` queries and returns how many were acknowledged, once all
    /// were answered or failed (or the caller was cancelled).
    private func announcing(
        _ targets: [(CompactNodeInfo, [UInt8])], infoHash: InfoHash, port: UInt16?, seed: Bool, run: Int, now: Double
    ) async -> Int {
        await withCheckedContinuation { waiter in
            announces[run] = AnnounceRun(outstanding: 0, waiter: waiter)
            for (node, token) in targets {
                let method = KRPCQuery.Method.announcePeer(
                    infoHash: infoHash, port: port ?? 0, impliedPort: port == nil, token: token, seed: seed)
                if sendQuery(method, to: node.endpoint, expectedID: node.id, purpose: .announce(run: run), now: now) {
                    announces[run]?.outstanding += 1
                }
            }
            if announces[run]?.outstanding == 0 { announces.removeValue(forKey: run)?.waiter.resume(returning: 0) }
        }
    }

    /// Marks run `run` cancelled and ends it at once, not at the next tick: a caller done with its search should
    /// not wait a quarter second. (A cancellation handler cannot reach the actor directly.)
    nonisolated func cancel(run: Int) {
        cancelledRuns.withLock { _ = $0.insert(run) }
        Task { await self.endCancelledRuns() }
    }

    /// Hands the callers that were cancelled what their lookup or announce has so far.
    func endCancelledRuns() {
        let cancelled = cancelledRuns.withLock { runs in
            defer { runs.removeAll() }
            return runs
        }
        for run in cancelled {
            if let lookup = lookups.removeValue(forKey: run) { lookup.waiter?.resume(returning: lookup.lookup.result) }
            if let announce = announces.removeValue(forKey: run) {
                announce.waiter.resume(returning: announce.acknowledged)
            }
        }
    }

    /// A `find_node` lookup of our own ID: fills the table with our neighbours and makes us known to them.
    /// Asks the bootstrap nodes too when the table holds fewer than a bucket's worth. Returns the table size.
    @discardableResult
    public func bootstrap() async -> Int {
        lastBootstrap = now
        _ = await lookup(id, kind: .findNode)
        return table.count
    }

    /// Runs a lookup to its end and returns its result; an empty result when the node is stopped or
    /// already runs its maximum of lookups.
    /// A cancelled caller gets what the lookup found so far, at once.
    func lookup(
        _ target: NodeID, kind: Lookup.Kind, onPeers: (@Sendable ([PeerAddress]) -> Void)? = nil
    ) async -> Lookup.Result {
        guard !isStopped, !Task.isCancelled, lookups.count < settings.maximumConcurrentLookups else {
            return Lookup(target: target, kind: kind, seeds: []).result
        }
        let run = nextRun
        nextRun += 1
        var handOn: (@Sendable ([DHTEndpoint]) -> Void)?
        if let onPeers { handOn = { found in onPeers(found.map(\.peerAddress)) } }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { waiter in
                startLookup(target, kind: kind, run: run, waiter: waiter, onPeers: handOn)
            }
        } onCancel: {
            cancel(run: run)
        }
    }

    /// Starts a lookup seeded with the closest nodes of our table, and the bootstrap nodes when the table
    /// is nearly empty. Without a waiter (a bucket refresh), its result only feeds the table.
    func startLookup(
        _ target: NodeID, kind: Lookup.Kind, run: Int? = nil, waiter: CheckedContinuation<Lookup.Result, Never>?,
        onPeers: (@Sendable ([DHTEndpoint]) -> Void)? = nil
    ) {
        let now = self.now
        let seeds = table.closest(to: target, count: settings.lookup.maximumCandidates, family: family, now: now)
        let bootstrap = table.count < settings.routingTable.bucketSize ? bootstrapEndpoints : []
        var lookup = Lookup(
            target: target, kind: kind, seeds: seeds, bootstrap: bootstrap, ownID: id, settings: settings.lookup)
        let run = run ?? nextRun
        nextRun = max(nextRun, run + 1)
        let actions = lookup.start()
        lookups[run] = LookupRun(lookup: lookup, waiter: waiter, onPeers: onPeers)
        perform(actions, run: run, now: now)
    }

    /// Sends a lookup's queries and hands its result to its waiter. A query that cannot go out (pending
    /// table full, other address family) fails at once, so the lookup moves on or ends.
    func perform(_ actions: [Lookup.Action], run: Int, now: Double) {
        var work = actions[...]
        while let action = work.popFirst() {
            switch action {
            case .query(let endpoint, let expectedID):
                guard var lookup = lookups[run]?.lookup else { return }
                let method: KRPCQuery.Method =
                    lookup.kind == .getPeers
                    ? .getPeers(infoHash: InfoHash(bytes: lookup.target.bytes)!) : .findNode(target: lookup.target)
                if !sendQuery(method, to: endpoint, expectedID: expectedID, purpose: .lookup(run: run), now: now) {
                    work += lookup.handleFailure(of: endpoint)
                    lookups[run]?.lookup = lookup
                }
            case .finished(let result):
                lookups.removeValue(forKey: run)?.waiter?.resume(returning: result)
            }
        }
    }

    /// Feeds lookup `run` one event (an answer, a failure, a stall) and performs what it asks next. A lookup
    /// that already ended ignores late events.
    func advance(run: Int, now: Double, _ event: (inout Lookup) -> [Lookup.Action]) {
        guard var lookup = lookups[run]?.lookup else { return }
        let actions = event(&lookup)
        lookups[run]?.lookup = lookup
        handNewPeers(of: run)
        perform(actions, run: run, now: now)
    }

    /// Gives lookup `run`'s caller the peers found since it last got some.
    private func handNewPeers(of run: Int) {
        guard let entry = lookups[run], let onPeers = entry.onPeers else { return }
        let peers = entry.lookup.peers
        guard peers.count > entry.peersHanded else { return }
        lookups[run]?.peersHanded = peers.count
        onPeers(Array(peers[entry.peersHanded...]))
    }

    /// One `announce_peer` of announce `run` was answered (or failed); the last one resumes the announcer.
    func announced(run: Int, acknowledged: Bool) {
        guard var announce = announces[run] else { return }
        if acknowledged { announce.acknowledged += 1 }
        announce.outstanding -= 1
        if announce.outstanding > 0 {
            announces[run] = announce
        } else {
            announces[run] = nil
            announce.waiter.resume(returning: announce.acknowledged)
        }
    }

    /// `found` followed by the live peers stored with us for `infoHash`, without repeats.
    private func merged(_ found: [DHTEndpoint], withStoredFor infoHash: InfoHash) -> [PeerAddress] {
        let stored = responder.peerStore.peers(for: infoHash, family: family, now: now, using: &generator)
        var seen: Set<DHTEndpoint> = []
        return (found + stored).filter { seen.insert($0).inserted }.map(\.peerAddress)
    }
}
