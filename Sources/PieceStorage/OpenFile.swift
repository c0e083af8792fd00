import Glibc

/// An open descriptor of one of the torrent's files, closed when the last user lets go of it.
///
/// Shared between threads by reference: the handle cache may drop it while a read still uses it,
/// and the descriptor stays valid until that read is done.
final class OpenFile: Sendable {
    let descriptor: Int32
    /// The full path, for error messages.
    let path: String
    /// The file's length when it was opened.
    let size: Int64
    /// Nil when opened for reading and writing; otherwise why writing was refused (the file is only
    /// readable, e.g. a complete download on a read-only disk that can still be seeded).
    let writeError: StorageError?

    init(descriptor: Int32, path: String, size: Int64, writeError: StorageError?) {
        self.descriptor = descriptor
        self.path = path
        self.size = size
        self.writeError = writeError
    }

    deinit { Glibc.close(descriptor) }

    var isWritable: Bool { writeError == nil }

    /// The file's length now (0 when it cannot be told), which may differ from `size` if it changed.
    func currentSize() -> Int64 {
        var info = stat()
        return fstat(descriptor, &info) == 0 ? Int64(info.st_size) : 0
    }

    /// Reads exactly `buffer.count` bytes at `offset` unless the file ends first; returns how many
    /// bytes were read.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(StorageError) -> Int {
        var done = 0
        while done < buffer.count {
            let count = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if count < 0 {
                if errno == EINTR { continue }
                throw StorageError(errno: errno, path: path, operation: .read)
            }
            if count == 0 { break }
            done += count
        }
        return done
    }

    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(StorageError) {
        var done = 0
        while done < bytes.count {
            let count = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            if count < 0 {
                if errno == EINTR { continue }
                throw StorageError(errno: errno, path: path, operation: .write)
            }
            // pwrite returns 0 only for a zero-length request; anything else is a broken device.
            if count == 0 { throw StorageError(errno: EIO, path: path, operation: .write) }
            done += count
        }
    }

    func resize(to length: Int64) throws(StorageError) {
        while ftruncate(descriptor, off_t(length)) != 0 {
            if errno == EINTR { continue }
            throw StorageError(errno: errno, path: path, operation: .resize)
        }
    }

    func sync() throws(StorageError) {
        while fsync(descriptor) != 0 {
            if errno == EINTR { continue }
            throw StorageError(errno: errno, path: path, operation: .sync)
        }
    }
}
