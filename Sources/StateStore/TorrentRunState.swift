/// What the node does with a torrent, as the user left it; stored as text so the database stays
/// readable with the sqlite3 shell and a new case needs no migration of existing rows.
public enum TorrentRunState: String, Codable, Sendable, CaseIterable {
    /// Waiting for its turn (see `TorrentRecord.queuePosition`).
    case queued
    /// Its data is being re-checked against the piece hashes.
    case checking
    /// Fetching pieces (or, for a magnet, the metadata).
    case downloading
    /// Has every wanted piece and serves them.
    case seeding
    /// Stopped by the user; not started when the node starts.
    case paused
}
