/// What the store was doing when a system call failed, for error messages.
public enum StorageOperation: String, Equatable, Sendable, CustomStringConvertible {
    case createFolder = "create the folder"
    case openFolder = "open the folder"
    case createFile = "create the file"
    case openFile = "open the file"
    case inspect = "inspect the file"
    case resize = "set the file's size"
    case write = "write"
    case read = "read"
    case sync = "flush to disk"
    case delete = "delete the file"

    public var description: String { rawValue }

    /// True for operations that change the disk, whose permission errors mean "not writable".
    public var modifies: Bool {
        switch self {
        case .createFolder, .createFile, .resize, .write, .sync, .delete: return true
        case .openFolder, .openFile, .inspect, .read: return false
        }
    }
}
