import TrackerProtocol

extension TrackerCore {
    public func statistics() -> TrackerStatistics {
        var swarms = 0
        var peers = 0
        var seeders = 0
        for shard in shards {
            shard.state.withLock {
                swarms += $0.registry.swarmCount
                peers += $0.registry.peerCount
                seeders += $0.registry.seederCount
            }
        }
        let now = clock()
        let announces = counters.announces.load(ordering: .relaxed)
        let policy = accessPolicy
        var access: [String] = []
        if policy.isPrivate { access.append("private") }
        if policy.allowedInfoHashes != nil { access.append("allow-list") }
        return TrackerStatistics(
            swarms: swarms, peers: peers, seeders: seeders, leechers: peers - seeders, announces: announces,
            scrapes: counters.scrapes.load(ordering: .relaxed),
            completed: counters.completed.load(ordering: .relaxed),
            failures: counters.failures.load(ordering: .relaxed),
            udpConnects: counters.udpConnects.load(ordering: .relaxed),
            rateLimited: counters.rateLimited.load(ordering: .relaxed),
            udpDropped: counters.udpDropped.load(ordering: .relaxed),
            announcesPerSecond: rateSampler.rate(total: announces, at: now), uptimeSeconds: now - startedAt,
            access: access.isEmpty ? "open" : access.joined(separator: ", "), interval: configuration.interval)
    }

    /// Called once a second by the server: feeds the announce rate.
    public func sampleRates() {
        rateSampler.record(total: counters.announces.load(ordering: .relaxed), at: clock())
    }

    /// Totals from the database, added once at start.
    public func restoreTotals(announces: Int, scrapes: Int, completed: Int) {
        counters.announces.add(announces, ordering: .relaxed)
        counters.scrapes.add(scrapes, ordering: .relaxed)
        counters.completed.add(completed, ordering: .relaxed)
        rateSampler.reset()
    }

    /// The totals to save.
    public var totals: (announces: Int, scrapes: Int, completed: Int) {
        (
            counters.announces.load(ordering: .relaxed), counters.scrapes.load(ordering: .relaxed),
            counters.completed.load(ordering: .relaxed)
        )
    }
}
