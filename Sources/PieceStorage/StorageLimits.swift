import Glibc

/// Fixed limits of the piece store. Tunables a node may change live in `StorageSettings`.
public enum StorageLimits {
    /// Bytes a recheck reads per chunk of consecutive pieces: long sequential reads, yet small enough
    /// that the hashing threads share the work evenly (the same figure `PieceHasher` uses).
    public static let recheckChunkBytes = 4 * 1024 * 1024
    /// The most bytes one `readBlock` or `readRange` returns; the HTTP server reads larger ranges in
    /// parts, so a hostile `Range` header cannot make the store allocate gigabytes.
    public static let maximumReadLength = 16 * 1024 * 1024
    /// Permissions of files the store creates (before the umask).
    public static let fileMode: mode_t = 0o644
    /// Permissions of folders the store creates (before the umask).
    public static let folderMode: mode_t = 0o755
}
