/// The media type of a file of a video torrent, by its name's extension (in any case), and how long it may be
/// cached.
public enum ContentType: Sendable, Equatable, Hashable, CaseIterable, CustomStringConvertible {
    /// `.m3u8`: `application/vnd.apple.mpegurl` (RFC 8216 §4).
    case playlist
    /// `.mp4` (the init segment) and `.m4s` (CMAF media segments): `video/mp4`.
    case mp4Video
    /// `.m4a`: `audio/mp4`.
    case mp4Audio
    /// `.ts`: `video/mp2t`.
    case mpegTransportStream
    /// `.vtt`: `text/vtt`.
    case webVTT
    /// Anything else: `application/octet-stream`, which browsers download rather than render, so no file of a
    /// torrent (say `index.html`) can run scripts in the node's origin.
    case binary

    /// The type of a file named `fileName` (the last path component).
    public init(fileName: some StringProtocol) {
        let name = Array(fileName.utf8)
        guard let dot = name.lastIndex(of: UInt8(ascii: ".")) else {
            self = .binary
            return
        }
        let suffix = name[(dot + 1)...]
        for (fileExtension, type) in Self.extensions where HeaderText.equalsIgnoringCase(suffix, fileExtension) {
            self = type
            return
        }
        self = .binary
    }

    /// The type of the file at `path` (components below the torrent's folder): that of its last component.
    public init(path: [String]) {
        self.init(fileName: path.last ?? "")
    }

    private static let extensions: [(String, ContentType)] = [
        ("m3u8", .playlist), ("mp4", .mp4Video), ("m4s", .mp4Video), ("m4a", .mp4Audio),
        ("ts", .mpegTransportStream), ("vtt", .webVTT),
    ]

    /// The `Content-Type` value.
    public var mediaType: String {
        switch self {
        case .playlist: return "application/vnd.apple.mpegurl"
        case .mp4Video: return "video/mp4"
        case .mp4Audio: return "audio/mp4"
        case .mpegTransportStream: return "video/mp2t"
        case .webVTT: return "text/vtt"
        case .binary: return "application/octet-stream"
        }
    }

    /// Playlists are revalidated on each use, everything else is immutable.
    public var cachePolicy: CachePolicy {
        self == .playlist ? .revalidate : .immutable
    }

    public var description: String { mediaType }
}
