import Glibc

/// Tunables of the piece store, with defaults suited to a small machine.
public struct StorageSettings: Sendable, Equatable {
    /// Threads that run blocking file calls (open, pread, pwrite, fsync) for all torrents of a node.
    /// More than the cores, since a thread waiting on the disk uses no CPU; few, since each holds a stack.
    public var ioThreadCount: Int
    /// Threads that hash during a recheck: one per online core, since SHA-1 is CPU-bound.
    public var hashThreadCount: Int
    /// File descriptors one `FileStorage` keeps open; the least recently used is closed beyond this.
    /// A video torrent has hundreds of segments, and descriptors are a per-process limit.
    public var maximumOpenFiles: Int

    public init(
        ioThreadCount: Int = StorageSettings.defaultIOThreadCount,
        hashThreadCount: Int = StorageSettings.defaultHashThreadCount,
        maximumOpenFiles: Int = StorageSettings.defaultMaximumOpenFiles
    ) {
        self.ioThreadCount = max(1, ioThreadCount)
        self.hashThreadCount = max(1, hashThreadCount)
        self.maximumOpenFiles = max(1, maximumOpenFiles)
    }

    public static let defaultIOThreadCount = 4
    public static var defaultHashThreadCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
    public static let defaultMaximumOpenFiles = 64
}
