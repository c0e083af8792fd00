import Glibc

/// Files of an ingest: written in a hidden staging folder beside the final one, renamed into place at
/// the end, removed on any failure. Errors say what happened in words (disk full, read-only, ...).
struct OutputFolder {
    let path: String

    /// Creates `path` and any missing parents.
    static func makeParents(_ path: String) throws(IngestError) {
        var built = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            built += "/" + component
            if mkdir(built, 0o755) != 0 && errno != EEXIST { throw failure(built) }
        }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw .output(path, "not a folder")
        }
    }

    /// A new empty folder at `path` (an old one left by a killed run is removed first).
    static func create(_ path: String) throws(IngestError) -> OutputFolder {
        removeTree(path)
        guard mkdir(path, 0o755) == 0 else { throw failure(path) }
        return OutputFolder(path: path)
    }

    func write(_ bytes: [UInt8], to name: String) throws(IngestError) {
        let file = path + "/" + name
        let descriptor = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Self.failure(file) }
        defer { close(descriptor) }
        try Self.writeAll(bytes, to: descriptor, path: file)
    }

    /// Writes every byte of `bytes` to an open file, through short writes and interruptions.
    static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws(IngestError) {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                Glibc.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
            }
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else { throw failure(path) }
            written += result
        }
    }

    /// An errno as an IngestError naming `path`.
    static func failure(_ path: String, code: Int32 = errno) -> IngestError {
        if code == ENOSPC || code == EDQUOT { return .diskFull(path) }
        return .output(path, String(cString: strerror(code)))
    }

    /// Removes a folder of plain files (what an ingest writes) and the folder; quiet when absent.
    static func removeTree(_ path: String) {
        if let directory = opendir(path) {
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name == "." || name == ".." { continue }
                let child = path + "/" + name
                if unlink(child) != 0 && errno == EISDIR { removeTree(child) }
            }
            closedir(directory)
        }
        rmdir(path)
    }
}
