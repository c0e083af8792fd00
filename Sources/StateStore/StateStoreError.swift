import TorrentModel

/// Why the state store failed. Each case that concerns the database file names its path, and the
/// description is one line a person can act on (the CLI prints it as it is).
public enum StateStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The folder that should hold the database could not be created (a file is in the way, no
    /// permission, read-only disk).
    case cannotCreateFolder(path: String, reason: String)
    /// SQLite could not open or create the database file.
    case cannotOpen(path: String, reason: String)
    /// The file is not an SQLite database, is damaged, or belongs to another program. Nothing in it
    /// can be trusted, but everything in it can be re-created by re-checking the data on disk.
    case notADatabase(path: String, reason: String)
    /// The file was migrated by a newer Shoal: it records migrations this build does not know, so
    /// this build cannot tell what the tables mean and must not write to them.
    case newerSchema(path: String, unknownMigrations: [String])
    /// No torrent with this infohash is in the library.
    case unknownTorrent(InfoHash)
    /// A torrent with this infohash is already in the library.
    case duplicateTorrent(InfoHash)
    /// A tracker passkey that may not be stored: not 16 to 64 characters of `A–Z a–z 0–9 _ -`.
    case invalidPasskey(String)
    /// A tracker key with this passkey exists already (perhaps revoked: a passkey is never reused).
    case duplicatePasskey(String)
    /// A record that may not be stored, or a stored row that cannot be read back.
    case invalidRecord(String)
    /// The store was closed before the call.
    case closed(path: String)
    /// Any other SQLite failure, with what was being done.
    case database(path: String, operation: String, reason: String)

    public var description: String {
        switch self {
        case .cannotCreateFolder(let path, let reason):
            return "cannot create the folder \(path) for the Shoal database (\(reason))"
        case .cannotOpen(let path, let reason):
            return "cannot open the Shoal database \(path) (\(reason))"
        case .notADatabase(let path, let reason):
            return "\(path) is not a valid Shoal database (\(reason)); move it away or run `shoal node --rebuild` "
                + "to re-create it by re-checking the data"
        case .newerSchema(let path, let unknownMigrations):
            return "\(path) was written by a newer Shoal (unknown schema migrations: "
                + "\(unknownMigrations.joined(separator: ", "))); upgrade shoal, or move the file away "
                + "to start from a new database"
        case .unknownTorrent(let infoHash): return "torrent \(infoHash) is not in the library"
        case .duplicateTorrent(let infoHash): return "torrent \(infoHash) is already in the library"
        case .invalidPasskey(let passkey):
            let lengths = StateStoreLimits.trackerPasskeyLengths
            let reason = TrackerKey.invalidPasskeyReason(passkey).map { " (\($0))" } ?? ""
            return "invalid tracker passkey\(reason): a passkey is \(lengths.lowerBound) to \(lengths.upperBound) "
                + "characters of A-Z, a-z, 0-9, _ and -"
        case .duplicatePasskey(let passkey):
            return "a tracker key with passkey \(passkey) exists already (revoked passkeys are never reused)"
        case .invalidRecord(let what): return "invalid state record: \(what)"
        case .closed(let path): return "the Shoal database \(path) is closed"
        case .database(let path, let operation, let reason):
            return "\(path): cannot \(operation) (\(reason))"
        }
    }
}
