import TorrentModel

/// The `--allow` file: one infohash per line (40 hex digits, or 32 base32 characters), with blank lines
/// and `#` comments ignored. A bad line is an error that names it, so a typo does not silently lock a
/// torrent out.
public enum InfoHashAllowList {
    public struct BadLine: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var text: String
        public var description: String { "line \(line): '\(text)' is not an infohash (40 hex digits)" }
    }

    public static func parse(_ text: String) throws(BadLine) -> Set<InfoHash> {
        var infoHashes: Set<InfoHash> = []
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let trimmed = content.trimmingWhitespace()
            if trimmed.isEmpty { continue }
            guard let infoHash = InfoHash(trimmed) else {
                throw BadLine(line: number + 1, text: String(trimmed.prefix(80)))
            }
            infoHashes.insert(infoHash)
        }
        return infoHashes
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return self[endIndex...] }
        let last = lastIndex(where: { !isSpace($0) })!
        return self[first...last]
    }
}
