/// The peers of one torrent: an array for sampling and a position index for lookups, so an announce
/// (insert, update or remove) is O(1) and a sample is O(numwant).
struct TrackedSwarm: Sendable {
    private(set) var peers: [TrackedPeer] = []
    private var positions: [TrackerPeerAddress: Int] = [:]
    private(set) var seeders = 0
    /// Downloads completed, ever (survives restarts through the tracker's database).
    var completed = 0

    var leechers: Int { peers.count - seeders }
    var isEmpty: Bool { peers.isEmpty }

    func peer(at address: TrackerPeerAddress) -> TrackedPeer? {
        positions[address].map { peers[$0] }
    }

    /// Adds the peer or replaces the one at its address. Returns the entry it replaced.
    @discardableResult
    mutating func upsert(_ peer: TrackedPeer) -> TrackedPeer? {
        if let position = positions[peer.address] {
            let old = peers[position]
            seeders += (peer.isSeed ? 1 : 0) - (old.isSeed ? 1 : 0)
            peers[position] = peer
            return old
        }
        positions[peer.address] = peers.count
        peers.append(peer)
        if peer.isSeed { seeders += 1 }
        return nil
    }

    /// Removes the peer at `address` (the last entry takes its place). Returns it.
    @discardableResult
    mutating func remove(_ address: TrackerPeerAddress) -> TrackedPeer? {
        guard let position = positions.removeValue(forKey: address) else { return nil }
        let removed = peers[position]
        let last = peers.removeLast()
        if position < peers.count {
            peers[position] = last
            positions[last.address] = position
        }
        if removed.isSeed { seeders -= 1 }
        return removed
    }

    /// Drops the peers last seen before `cutoff`. Returns how many went, and how many of them were seeds.
    mutating func expire(before cutoff: UInt32) -> (peers: Int, seeds: Int) {
        let stale = peers.filter { $0.lastSeen < cutoff }
        for peer in stale { remove(peer.address) }
        return (stale.count, stale.count(where: \.isSeed))
    }

    /// Up to `count` peers other than `requester`, from a random starting point onwards (a random window:
    /// different askers get different peers, and no per-call shuffle is needed). A seed gets only leechers:
    /// it has nothing to fetch from other seeds.
    func sample(
        count: Int, excluding requester: TrackerPeerAddress, forSeed: Bool,
        using random: inout some RandomNumberGenerator
    ) -> [TrackedPeer] {
        guard count > 0, !peers.isEmpty else { return [] }
        var chosen: [TrackedPeer] = []
        chosen.reserveCapacity(min(count, peers.count))
        let start = Int.random(in: 0..<peers.count, using: &random)
        var index = start
        repeat {
            let peer = peers[index]
            if peer.address != requester && !(forSeed && peer.isSeed) {
                chosen.append(peer)
                if chosen.count == count { break }
            }
            index += 1
            if index == peers.count { index = 0 }
        } while index != start
        return chosen
    }
}
