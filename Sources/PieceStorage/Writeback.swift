import Glibc

/// Starts the kernel writing a file range to disk without waiting for it (Linux `sync_file_range` with
/// `SYNC_FILE_RANGE_WRITE`).
///
/// Pieces are written into the page cache, and the kernel only starts writing dirty pages back once they
/// pass a share of memory (gigabytes here); a download's final `fsync` then waited for the whole file (1.5 s
/// for 1 GiB on these VMs). Started after each piece, the writing runs alongside the download and the
/// final `fsync` finds little left to do. Durability still comes from `fsync` alone.
enum Writeback {
    /// From <fcntl.h>; Swift's Glibc module does not import `sync_file_range` (a GNU extension).
    private static let writeFlag: UInt32 = 2

    private typealias SyncFileRange = @convention(c) (Int32, Int64, Int64, UInt32) -> Int32

    /// Looked up once in glibc; nil where it does not exist, and then nothing is started early.
    private static let syncFileRange: SyncFileRange? = {
        // RTLD_DEFAULT (a null handle): look the symbol up in the process, i.e. in glibc.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sync_file_range") else { return nil }
        return unsafeBitCast(symbol, to: SyncFileRange.self)
    }()

    /// Asks for `length` bytes at `offset` of `descriptor` to be written back. Failures are ignored: this
    /// only moves work earlier, and `fsync` reports any error that matters.
    static func start(descriptor: Int32, offset: Int64, length: Int64) {
        _ = syncFileRange?(descriptor, offset, length, writeFlag)
    }
}
