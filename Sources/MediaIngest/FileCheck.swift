import Glibc

/// Plain-words checks of paths before FFmpeg sees them, so errors name the real cause.
enum FileCheck {
    /// Nil when `path` is a regular file this process can open for reading, else the reason.
    static func readableRegularFile(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return String(cString: strerror(errno)) }
        if (info.st_mode & S_IFMT) == S_IFDIR { return "is a folder" }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return "not a regular file" }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return String(cString: strerror(errno)) }
        close(descriptor)
        return nil
    }

    /// Size and modification time (nanoseconds), which say whether a file changed since an earlier ingest.
    static func identity(_ path: String) -> (size: Int64, modified: Int64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (Int64(info.st_size), Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }
}
