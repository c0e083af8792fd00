import TorrentModel

/// How `--log-level trace` lines name blocks: short enough for a line per block, exact enough to
/// follow one piece through a swarm's logs (docs/engine.md).
extension TorrentSession {
    /// `piece+offset` of each block, in order.
    static func traced(_ blocks: [BlockRange]) -> String {
        blocks.map { "\($0.piece)+\($0.offset)" }.joined(separator: " ")
    }

    /// How late a piece was verified: "0.120 s after its deadline", negative if early.
    static func traced(lateness: Duration) -> String { "\(DurationText.milliseconds(lateness)) after its deadline" }
}
