import Glibc

/// Creates the folder that will hold the database file, like `mkdir -p`, and reports a failure with
/// the folder's path and the system's reason (SQLite itself would only say "unable to open database
/// file").
enum ParentFolder {
    static func create(for filePath: String) throws(StateStoreError) {
        guard let slash = filePath.lastIndex(of: "/") else { return }
        let folder = String(filePath[..<slash])
        guard !folder.isEmpty else { return }
        var prefix = folder.hasPrefix("/") ? "" : "."
        for component in folder.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) == 0 { continue }
            let code = errno
            var status = stat()
            if code == EEXIST, stat(prefix, &status) == 0 {
                if status.st_mode & S_IFMT == S_IFDIR { continue }
                throw .cannotCreateFolder(path: folder, reason: "\(prefix) exists and is not a folder")
            }
            throw .cannotCreateFolder(path: folder, reason: String(cString: strerror(code)))
        }
    }
}
