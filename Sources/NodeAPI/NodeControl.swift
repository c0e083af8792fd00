/// What a running Shoal node lets a local user do with its torrents: the contract behind the JSON
/// control API (`docs/api.md`). The node implements it; `ControlServer` serves it over HTTP and
/// `NodeClient` calls it from the command line.
///
/// ## References
/// Methods that act on one torrent take a *reference*: the torrent's infohash as 40 hex digits, or an
/// unambiguous prefix of at least ``TorrentReference/minimumPrefixLength`` (6) hex digits, in either
/// case. The node resolves it against its library with ``TorrentReference/resolve(in:)``: no match
/// throws ``NodeControlError/unknownTorrent(reference:)``, several throw
/// ``NodeControlError/ambiguousReference(reference:matches:)``.
///
/// ## Errors
/// Every method throws ``NodeControlError`` for what the user can act on; a client may also throw its
/// own transport errors.
public protocol NodeControl: Sendable {
    /// The node is up: its version, counts and ports.
    func health() async throws -> NodeHealth

    /// Every torrent in the library, oldest first.
    func list() async throws -> [TorrentSummary]

    /// Adds a torrent from .torrent bytes or a magnet link. Throws
    /// ``NodeControlError/alreadyAdded(infoHash:)`` when the library has it,
    /// ``NodeControlError/invalidInput(_:)`` for a malformed torrent or link.
    func add(_ request: AddTorrentRequest) async throws -> TorrentSummary

    /// Everything about one torrent: progress, rates, pieces, files and peers.
    func show(_ reference: String) async throws -> TorrentDetail

    /// Stops a torrent (it stays stopped across restarts of the node).
    func pause(_ reference: String) async throws -> TorrentSummary

    /// Starts a paused torrent again.
    func resume(_ reference: String) async throws -> TorrentSummary

    /// Removes a torrent from the library; with `deleteData`, deletes its files too.
    func remove(_ reference: String, deleteData: Bool) async throws

    /// Sets one priority per file, in the torrent's file order (pad files left out), each in
    /// ``FilePriority/allowed``: 0 skips the file, 1 is low, 4 normal, 7 high. Throws
    /// ``NodeControlError/invalidInput(_:)`` when the count differs from the file count or a value
    /// is out of range (``FilePriority/validate(_:fileCount:)`` checks both).
    func setFilePriorities(_ reference: String, priorities: [Int]) async throws -> TorrentDetail
}
