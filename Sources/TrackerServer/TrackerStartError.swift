/// Why a tracker did not start, in one line for the CLI.
public enum TrackerStartError: Error, Sendable, CustomStringConvertible {
    case database(path: String, String)
    case privateNeedsDatabase
    case allowFile(path: String, String)
    case bind(host: String, port: Int, String)

    public var message: String {
        switch self {
        case .database(let path, let why): return "tracker database \(path): \(why)"
        case .privateNeedsDatabase: return "private mode keeps its passkeys in a database: give one"
        case .allowFile(let path, let why): return "allow list \(path): \(why)"
        case .bind(let host, let port, let why): return "cannot listen on \(host):\(port) (TCP and UDP): \(why)"
        }
    }

    public var description: String { message }
}
