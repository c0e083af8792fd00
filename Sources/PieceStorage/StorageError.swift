import Glibc

/// Why a storage operation failed. Each case that concerns a file names its full path, and the
/// description is one line a person can act on.
public enum StorageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// ENOSPC or EDQUOT: the disk (or the user's quota) has no room for the bytes.
    case diskFull(path: String, reason: String)
    /// EACCES, EROFS or EPERM while creating or writing: the path may not be created or written.
    case notWritable(path: String, reason: String)
    /// EACCES or EPERM while reading: the file may not be read.
    case notReadable(path: String, reason: String)
    /// A folder the torrent needs is a file (or something else) on disk.
    case notAFolder(path: String)
    /// A file the torrent needs is a folder, device or other non-regular file on disk.
    case notAFile(path: String)
    /// A symbolic link sits where the torrent's folder or file should be; following it could write
    /// outside the save folder, so it is refused.
    case symbolicLinkRefused(path: String)
    /// EFBIG: the file system cannot hold a file this large.
    case fileTooLarge(path: String, reason: String)
    /// A verified file is missing or shorter than the torrent says: something changed it on disk.
    case changedOnDisk(path: String)
    /// Any other failure of a system call, with what was being done.
    case io(path: String, operation: StorageOperation, reason: String)
    /// The piece has not passed its SHA-1 check, so its bytes may not leave the store.
    case notVerified(piece: Int)
    /// A request outside the torrent: bad piece index, offset, length or file.
    case outOfRange(String)
    /// The store was closed (or its thread pool shut down) before the operation ran.
    case closed
    /// The calling task was cancelled before the operation started; nothing was done.
    case cancelled

    public var description: String {
        switch self {
        case .diskFull(let path, let reason): return "\(path): no space left to write the download (\(reason))"
        case .notWritable(let path, let reason): return "\(path): cannot write here (\(reason))"
        case .notReadable(let path, let reason): return "\(path): cannot read (\(reason))"
        case .notAFolder(let path): return "\(path): exists but is not a folder"
        case .notAFile(let path): return "\(path): exists but is not a regular file"
        case .symbolicLinkRefused(let path):
            return "\(path): is a symbolic link; links inside a download folder are not followed"
        case .fileTooLarge(let path, let reason): return "\(path): file too large for this file system (\(reason))"
        case .changedOnDisk(let path): return "\(path): missing or shorter than expected; it changed on disk"
        case .io(let path, let operation, let reason): return "\(path): cannot \(operation) (\(reason))"
        case .notVerified(let piece): return "piece \(piece) has not been verified"
        case .outOfRange(let what): return "out of range: \(what)"
        case .closed: return "the storage is closed"
        case .cancelled: return "the storage operation was cancelled"
        }
    }

    /// Sorts a failed system call's `errno` into the case a person can act on.
    public init(errno code: Int32, path: String, operation: StorageOperation) {
        let reason = String(cString: strerror(code))
        switch code {
        case ENOSPC, EDQUOT: self = .diskFull(path: path, reason: reason)
        case EACCES, EROFS, EPERM:
            self =
                operation.modifies ? .notWritable(path: path, reason: reason) : .notReadable(path: path, reason: reason)
        case EFBIG: self = .fileTooLarge(path: path, reason: reason)
        case ENOTDIR: self = .notAFolder(path: path)
        case EISDIR: self = .notAFile(path: path)
        case ELOOP: self = .symbolicLinkRefused(path: path)
        default: self = .io(path: path, operation: operation, reason: reason)
        }
    }
}
