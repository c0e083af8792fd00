import ArgumentParser

/// `--tracker` values: each option is one BEP 12 tier, URLs within a tier separated by commas.
enum TrackerArguments {
    static func tiers(_ values: [String]) -> [[String]] {
        values.map { $0.split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty } }
            .filter { !$0.isEmpty }
    }

    static func validate(_ values: [String]) throws {
        for url in tiers(values).joined() where !isTrackerURL(url) {
            throw ValidationError("--tracker '\(url)' is not an http://, https:// or udp:// URL")
        }
    }

    private static func isTrackerURL(_ url: String) -> Bool {
        let schemes = ["http://", "https://", "udp://"]
        return schemes.contains { url.lowercased().hasPrefix($0) && url.count > $0.count }
            && !url.contains(where: { $0.isWhitespace })
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
