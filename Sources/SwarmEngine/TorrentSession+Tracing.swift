import TorrentModel

/// How `--log-level trace` lines name blocks and durations: short enough for a line per block, exact enough to
/// follow one piece through a swarm's logs (docs/engine.md).
extension TorrentSession {
    /// `piece+offset` of each block, in order.
    static func traced(_ blocks: [BlockRange]) -> String {
        blocks.map { "\($0.piece)+\($0.offset)" }.joined(separator: " ")
    }

    /// Seconds with millisecond precision, signed.
    static func traced(_ duration: Duration) -> String {
        let milliseconds = Int((duration / .milliseconds(1)).rounded())
        let sign = milliseconds < 0 ? "-" : ""
        let magnitude = abs(milliseconds)
        let fraction = String(magnitude % 1000)
        return "\(sign)\(magnitude / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction) s"
    }
}
