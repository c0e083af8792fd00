import Foundation

/// A snapshot of the tracker for `/`, `/stats.json` and `/metrics`.
public struct TrackerStatistics: Codable, Sendable, Equatable {
    public var swarms: Int
    public var peers: Int
    public var seeders: Int
    public var leechers: Int
    /// Totals since the database was made (restored at start).
    public var announces: Int
    public var scrapes: Int
    public var completed: Int
    /// Since this process started.
    public var failures: Int
    public var udpConnects: Int
    public var rateLimited: Int
    public var udpDropped: Int
    /// Over the last ten seconds.
    public var announcesPerSecond: Double
    public var uptimeSeconds: Double
    /// "open", "allow-list", "private" or "private, allow-list".
    public var access: String
    public var interval: Int

    public var json: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array((try? encoder.encode(self)) ?? Data("{}".utf8))
    }
}
