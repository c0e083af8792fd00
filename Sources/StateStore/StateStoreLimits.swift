import Foundation

/// The state store's limits, in one place.
public enum StateStoreLimits {
    /// Peers remembered per torrent; the ones seen longest ago are forgotten first. A restarted node
    /// needs a few dozen good addresses to rejoin a swarm without a tracker, not the whole swarm.
    public static let maximumKnownPeersPerTorrent = 200

    /// How long a write waits for another connection's write lock before failing with "database is
    /// locked". WAL lets readers go on during a write; only writers queue.
    public static let busyTimeout: TimeInterval = 5

    /// How long a tracker passkey may be, in characters. Sixteen characters of the 64 allowed carry
    /// 96 bits if chosen at random; 64 is room for any token an operator already hands out.
    public static let trackerPasskeyLengths: ClosedRange<Int> = 16...64

    /// Random bytes in a generated tracker passkey, written as twice as many lowercase hex digits
    /// (128 bits in 32 characters: beyond guessing, and in practice never drawn twice).
    public static let generatedTrackerPasskeyBytes = 16

    /// DHT nodes kept in the snapshot, the closest buckets first. A full routing table holds 160 × 8; a
    /// restarted node needs a few dozen that still answer to rejoin without a bootstrap router.
    public static let maximumDHTNodes = 1_280
}
