/// The human page at `/`: what the tracker holds and how busy it is, refreshed every 10 seconds.
enum TrackerStatsPage {
    static func html(_ stats: TrackerStatistics) -> String {
        let rows: [(String, String)] = [
            ("Swarms", "\(stats.swarms)"),
            ("Peers", "\(stats.peers)"),
            ("Seeders", "\(stats.seeders)"),
            ("Leechers", "\(stats.leechers)"),
            ("Announces per second (last 10 s)", formatted(stats.announcesPerSecond)),
            ("Announces (total)", "\(stats.announces)"),
            ("Scrapes (total)", "\(stats.scrapes)"),
            ("Downloads completed (total)", "\(stats.completed)"),
            ("Refused or malformed requests", "\(stats.failures)"),
            ("Rate-limited requests", "\(stats.rateLimited)"),
            ("UDP packets dropped", "\(stats.udpDropped)"),
            ("Access", stats.access),
            ("Announce interval", "\(stats.interval) s"),
            ("Up for", "\(Int(stats.uptimeSeconds)) s"),
        ]
        let body = rows.map { "<tr><th>\($0.0)</th><td>\($0.1)</td></tr>" }.joined(separator: "\n")
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="10">
            <title>Shoal tracker</title>
            <style>body{font-family:system-ui,sans-serif;margin:2em}th{text-align:left;padding-right:2em}
            td{text-align:right;font-variant-numeric:tabular-nums}</style></head>
            <body><h1>Shoal tracker</h1>
            <table>
            \(body)
            </table>
            <p><a href="/stats.json">stats.json</a> · <a href="/metrics">metrics</a></p>
            </body></html>

            """
    }

    private static func formatted(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
