import Glibc

/// Which paths `shoal seed` treats as videos to ingest: regular files with a video container's extension.
/// By name, not content, so that seeding an arbitrary file never loads FFmpeg or changes what is shared.
enum VideoFiles {
    static let extensions: Set<String> = [
        "mp4", "m4v", "mkv", "webm", "ts", "m2ts", "mts", "mov", "avi", "flv", "mpg", "mpeg", "wmv", "ogv", "3gp",
    ]

    static func isVideo(_ path: String) -> Bool {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return false }
        guard extensions.contains(path[path.index(after: dot)...].lowercased()) else { return false }
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }
}
