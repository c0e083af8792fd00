/// How a watcher orders its downloads (see docs/streaming.md). The two plain modes are the baselines the
/// streaming benchmark compares the deadline mode against.
public enum StreamingMode: String, Hashable, Sendable, CaseIterable {
    /// Pieces the player needs soon get deadlines from the playback position; the rest rarest-first.
    case deadline
    /// No deadlines: plain BitTorrent order, as a client that knows nothing of playback would download.
    case rarestFirst
    /// Every missing piece in piece order (a "sequential download" client): no window, no urgency.
    case sequential
}
