import PieceStorage
import StateStore
import TorrentModel

/// Why a node operation failed, as one line for the CLI and the control API.
public enum NodeError: Error, Equatable, Sendable, CustomStringConvertible {
    case noDataDirectory
    case state(StateStoreError)
    case storage(StorageError)
    case cannotListen(host: String, port: Int, reason: String)
    case invalidTorrent(String)
    case unknownTorrent(InfoHash)
    case alreadyAdded(InfoHash)
    case invalidPriorities(String)

    public var description: String {
        switch self {
        case .noDataDirectory:
            return "no data directory: HOME is not set; pass --data-dir DIR or set SHOAL_DATA_DIR"
        case .state(let error): return error.description
        case .storage(let error): return error.description
        case .cannotListen(let host, let port, let reason): return "cannot listen on \(host):\(port): \(reason)"
        case .invalidTorrent(let why): return "not a usable torrent: \(why)"
        case .unknownTorrent(let infoHash): return "no torrent \(infoHash.hex) in the library"
        case .alreadyAdded(let infoHash): return "torrent \(infoHash.hex) is already in the library"
        case .invalidPriorities(let why): return "invalid file priorities: \(why)"
        }
    }
}
