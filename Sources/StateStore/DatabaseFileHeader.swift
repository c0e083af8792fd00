import Glibc

/// Checks an existing database file's header before SQLite opens it. SQLite itself rejects a file
/// with the wrong magic, but it treats a file shorter than one page as an empty database and would
/// write a new one over it, so a library cut short by a bad copy or a full disk would be silently
/// replaced. An empty file is left to SQLite (it is a new database).
enum DatabaseFileHeader {
    /// "SQLite format 3" and a NUL: the first 16 bytes of every SQLite 3 database.
    static let magic: [UInt8] = Array("SQLite format 3".utf8) + [0]
    /// The fixed header at the start of page 1.
    static let headerLength = 100

    static func check(path: String) throws(StateStoreError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT { return }
            throw .cannotOpen(path: path, reason: String(cString: strerror(code)))
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw .cannotOpen(path: path, reason: "it is a folder")
        default: throw .cannotOpen(path: path, reason: "it is not a regular file")
        }
        let size = Int(status.st_size)
        guard size > 0 else { return }

        var header = [UInt8](repeating: 0, count: headerLength)
        let count = header.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, headerLength, 0) }
        guard count >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        guard count >= magic.count, header.prefix(magic.count).elementsEqual(magic) else {
            throw .notADatabase(path: path, reason: "file is not a database")
        }
        guard count == headerLength else {
            throw .notADatabase(path: path, reason: "file is not a database: its header is cut short at \(size) bytes")
        }
        let rawPageSize = Int(header[16]) << 8 | Int(header[17])
        let pageSize = rawPageSize == 1 ? 65_536 : rawPageSize
        guard pageSize >= 512, pageSize <= 65_536, pageSize & (pageSize - 1) == 0 else {
            throw .notADatabase(path: path, reason: "file is not a database: its page size \(rawPageSize) is invalid")
        }
        guard size >= pageSize else {
            throw .notADatabase(
                path: path, reason: "file is not a database: it is cut short at \(size) bytes, less than one page")
        }
    }
}
