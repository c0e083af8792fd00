import DHT
import NIOCore
import NIOPosix
import TorrentModel

extension DHTNode {
    /// The node's clock: timeouts every tick; token rotation, peer-store expiry, bucket refreshes, pings of
    /// questionable nodes and re-bootstrapping on their own intervals. Returns when cancelled.
    func maintain() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: .seconds(settings.tickInterval))
            } catch {
                return
            }
            tick()
        }
    }

    func tick() {
        guard !isStopped else { return }
        let now = self.now
        endCancelledRuns()
        expireQueries(now: now)
        if now - lastTokenRotation >= DHTLimits.tokenRotationInterval {
            lastTokenRotation = now
            responder.tokens.rotate(newSecret: (0..<20).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        }
        if now - lastPeerStoreExpiry >= settings.peerStoreExpiryInterval {
            lastPeerStoreExpiry = now
            responder.peerStore.expire(now: now)
        }
        if now - lastMaintenance >= settings.maintenanceInterval {
            lastMaintenance = now
            maintainTable(now: now)
        }
    }

    /// Stalled queries free their lookup slot; timed-out ones count against their node and fail their query.
    private func expireQueries(now: Double) {
        let (stalled, timedOut) = pending.expire(now: now)
        for entry in stalled {
            guard case .lookup(let run) = entry.purpose else { continue }
            advance(run: run, now: now) { $0.handleStall(of: entry.endpoint) }
        }
        for entry in timedOut {
            counters.queriesTimedOut += 1
            table.nodeFailed(at: entry.endpoint, now: now)
            failed(entry.purpose, at: entry.endpoint, now: now)
        }
    }

    /// BEP 5 upkeep: refresh buckets nobody touched for 15 minutes, ping questionable nodes, and go back to
    /// the bootstrap nodes while the table is nearly empty.
    private func maintainTable(now: Double) {
        let lookupRoom = settings.maximumConcurrentLookups - lookups.count
        if table.count < settings.routingTable.bucketSize, now - lastBootstrap >= settings.rebootstrapInterval,
            lookupRoom > 0
        {
            lastBootstrap = now
            startLookup(id, kind: .findNode, waiter: nil)
        }
        for bucket in table.bucketsNeedingRefresh(now: now).prefix(
            max(0, min(settings.refreshesPerMaintenance, lookupRoom - 1)))
        {
            table.markRefreshed(bucket: bucket, now: now)
            startLookup(table.refreshTarget(forBucket: bucket, using: &generator), kind: .findNode, waiter: nil)
        }
        for node in table.nodesToPing(now: now, maximum: settings.pingsPerMaintenance)
        where !pending.isPending(to: node.endpoint) {
            sendQuery(.ping, to: node.endpoint, expectedID: node.id, purpose: .ping, now: now)
        }
    }

    /// Turns the configured `host:port` bootstrap nodes into endpoints of our family. Names are resolved on
    /// NIO's thread pool (getaddrinfo blocks); names that do not resolve are skipped with a log line.
    /// `names: false` takes only the numeric addresses, at once (`bind`); `run()` then resolves the names.
    func resolveBootstrapNodes(names: Bool) async {
        var endpoints: [DHTEndpoint] = []
        for node in settings.bootstrapNodes {
            var address = try? SocketAddress(ipAddress: node.host, port: Int(node.port))
            if address == nil && !names { continue }
            if address == nil {
                address = try? await NIOThreadPool.singleton.runIfActive {
                    try SocketAddress.makeAddressResolvingHost(node.host, port: Int(node.port))
                }
            }
            guard let address, let endpoint = DHTEndpoint(address), endpoint.family == family else {
                logger.info("DHT bootstrap node \(node) has no \(family) address; skipped")
                continue
            }
            if !endpoints.contains(endpoint) { endpoints.append(endpoint) }
        }
        bootstrapEndpoints = endpoints
    }
}
