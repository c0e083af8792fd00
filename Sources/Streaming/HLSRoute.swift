import TorrentModel

/// A request path of the node's video routes:
///
/// - `/v/<infohash>/<path in the torrent>`: a file of a torrent (playlists, init and media segments).
/// - `/watch/<infohash>`: the player page of a torrent.
///
/// `init(requestPath:)` reads the path as sent (still percent-encoded); `path` writes it back for links.
public enum HLSRoute: Sendable, Equatable, Hashable {
    /// A file of a torrent: the path components below the torrent's folder, decoded (as `TorrentFile.path`).
    case file(InfoHash, path: [String])
    /// The player page of a torrent.
    case player(InfoHash)

    /// The first component of file routes.
    public static let filePrefix = "v"
    /// The first component of the player route.
    public static let playerPrefix = "watch"

    public var infoHash: InfoHash {
        switch self {
        case .file(let infoHash, _), .player(let infoHash): return infoHash
        }
    }

    /// The route as a path for links: the infohash in lowercase hex, each component percent-encoded so that
    /// only `A–Z a–z 0–9 - . _ ~` stay as they are (`/v/<hex>/my%20film/master.m3u8`). Parsing it gives back
    /// this route for every path a torrent may hold.
    public var path: String {
        switch self {
        case .file(let infoHash, let components):
            return "/\(Self.filePrefix)/\(infoHash.hex)"
                + components.map { "/" + PathSegmentEncoding.encode($0) }.joined()
        case .player(let infoHash):
            return "/\(Self.playerPrefix)/\(infoHash.hex)"
        }
    }
}
