import Glibc

/// Whole-file reads and atomic writes with errors that name the path and the reason.
enum FileIO {
    /// The largest file `readAll` accepts; a torrent of 10 million pieces is about 200 MB.
    static let maximumReadSize = 256 * 1024 * 1024

    static func readAll(_ path: String) throws(CLIError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .input("\(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .input("\(path): \(String(cString: strerror(errno)))") }
        if info.st_mode & S_IFMT == S_IFDIR { throw .input("\(path): is a folder, not a file") }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .input("\(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > maximumReadSize {
                throw .input("\(path): larger than \(maximumReadSize / (1024 * 1024)) MiB, not a torrent")
            }
        }
    }

    /// Writes to a temporary file beside `path`, then renames it into place, so a failure leaves
    /// no half-written file. Refuses to replace an existing file unless `replace` is set.
    static func writeAtomically(_ bytes: [UInt8], to path: String, replace: Bool) throws(CLIError) {
        if !replace && access(path, F_OK) == 0 {
            throw .input("\(path): already exists (use --force to replace it)")
        }
        let temporary = "\(path).partial-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .input("\(path): cannot write: \(String(cString: strerror(errno)))") }
        var failure: Int32 = 0
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 {
                    failure = written < 0 ? errno : ENOSPC
                    return
                }
                offset += written
            }
        }
        if failure == 0 && fsync(descriptor) != 0 { failure = errno }
        close(descriptor)
        if failure == 0 && rename(temporary, path) != 0 { failure = errno }
        if failure != 0 {
            unlink(temporary)
            throw .input("\(path): cannot write: \(String(cString: strerror(failure)))")
        }
    }
}
