/// Prometheus text exposition (version 0.0.4) of the tracker's figures.
enum TrackerMetrics {
    static func text(_ stats: TrackerStatistics) -> String {
        let metrics: [(name: String, type: String, help: String, value: String)] = [
            ("shoal_tracker_swarms", "gauge", "Torrents with peers or completed downloads.", "\(stats.swarms)"),
            ("shoal_tracker_peers", "gauge", "Peers in all swarms.", "\(stats.peers)"),
            ("shoal_tracker_seeders", "gauge", "Seeders in all swarms.", "\(stats.seeders)"),
            ("shoal_tracker_leechers", "gauge", "Leechers in all swarms.", "\(stats.leechers)"),
            ("shoal_tracker_announces_total", "counter", "Announces answered.", "\(stats.announces)"),
            ("shoal_tracker_scrapes_total", "counter", "Scrapes answered.", "\(stats.scrapes)"),
            ("shoal_tracker_completed_total", "counter", "Downloads completed.", "\(stats.completed)"),
            ("shoal_tracker_failures_total", "counter", "Requests refused or malformed.", "\(stats.failures)"),
            ("shoal_tracker_udp_connects_total", "counter", "UDP connect requests.", "\(stats.udpConnects)"),
            ("shoal_tracker_rate_limited_total", "counter", "Requests over the rate limit.", "\(stats.rateLimited)"),
            ("shoal_tracker_udp_dropped_total", "counter", "UDP packets dropped unanswered.", "\(stats.udpDropped)"),
            (
                "shoal_tracker_announces_per_second", "gauge", "Announces per second over the last 10 s.",
                "\(stats.announcesPerSecond)"
            ),
        ]
        return metrics.map { "# HELP \($0.name) \($0.help)\n# TYPE \($0.name) \($0.type)\n\($0.name) \($0.value)\n" }
            .joined()
    }
}
