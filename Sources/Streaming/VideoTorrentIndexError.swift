/// Why a media playlist does not describe the torrent it came in. Each case reads as one line.
public enum VideoTorrentIndexError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The media playlist's own path is not a data file of the torrent.
    case playlistNotInTorrent(String)
    case noSegments
    /// A URI that is not a plain relative path inside the torrent's folder.
    case unsafeURI(String, reason: String)
    /// A URI naming no data file of the torrent (pad files do not count).
    case notInTorrent(uri: String, path: String)
    /// Two segments, or a segment and the init section, name the same file.
    case duplicateFile(uri: String)
    case invalidDuration(uri: String, seconds: Double)

    public var description: String {
        switch self {
        case .playlistNotInTorrent(let path): return "the media playlist '\(path)' is not a file of the torrent"
        case .noSegments: return "the media playlist has no segments"
        case .unsafeURI(let uri, let reason): return "the playlist URI '\(uri)' is refused: \(reason)"
        case .notInTorrent(let uri, let path):
            return "the playlist URI '\(uri)' names '\(path)', which is not a file of the torrent"
        case .duplicateFile(let uri): return "the playlist names '\(uri)' twice"
        case .invalidDuration(let uri, let seconds): return "segment '\(uri)' has an invalid duration \(seconds)"
        }
    }
}
