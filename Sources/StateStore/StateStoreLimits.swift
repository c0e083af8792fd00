import Foundation

/// The state store's limits, in one place.
public enum StateStoreLimits {
    /// Peers remembered per torrent; the ones seen longest ago are forgotten first. A restarted node
    /// needs a few dozen good addresses to rejoin a swarm without a tracker, not the whole swarm.
    public static let maximumKnownPeersPerTorrent = 200

    /// How long a write waits for another connection's write lock before failing with "database is
    /// locked". WAL lets readers go on during a write; only writers queue.
    public static let busyTimeout: TimeInterval = 5
}
