/// Why a torrent could not be made from files on disk. Each names the path at fault.
public enum CreationError: Error, Equatable, Sendable, CustomStringConvertible {
    case notFound(String)
    case unreadable(String, reason: String)
    case notAFileOrFolder(String)
    case noFiles(String)
    case badName(String, reason: String)
    case changedWhileHashing(String)
    case badPieceLength(Int)
    case tooLarge(String)

    public var description: String {
        switch self {
        case .notFound(let path): return "\(path): no such file or folder"
        case .unreadable(let path, let reason): return "\(path): cannot read: \(reason)"
        case .notAFileOrFolder(let path): return "\(path): not a regular file or folder"
        case .noFiles(let path): return "\(path): the folder holds no files"
        case .badName(let path, let reason): return "\(path): cannot go in a torrent: \(reason)"
        case .changedWhileHashing(let path): return "\(path): the file changed size while it was being hashed"
        case .badPieceLength(let length):
            return "piece length \(length) must be a power of two from 16384 to 134217728 bytes"
        case .tooLarge(let reason): return "too large: \(reason)"
        }
    }
}
