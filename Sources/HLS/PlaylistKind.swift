/// The two kinds of playlist RFC 8216 defines; one playlist never mixes their tags (§4.1).
public enum PlaylistKind: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// A list of media segments.
    case media
    /// A multivariant ("master") playlist: a list of variant streams.
    case master

    /// The kind a tag belongs to, or nil for tags allowed in both (§4.3.1, §4.3.5) and unknown tags.
    init?(tag name: String) {
        if Self.mediaTags.contains(name) {
            self = .media
        } else if Self.masterTags.contains(name) {
            self = .master
        } else {
            return nil
        }
    }

    // Media segment tags (§4.3.2) and media playlist tags (§4.3.3), with the low-latency ones of later
    // drafts, so a playlist that uses them is still recognised as a media playlist.
    private static let mediaTags: Set<String> = [
        "EXTINF", "EXT-X-BYTERANGE", "EXT-X-DISCONTINUITY", "EXT-X-KEY", "EXT-X-MAP", "EXT-X-PROGRAM-DATE-TIME",
        "EXT-X-DATERANGE", "EXT-X-GAP", "EXT-X-BITRATE", "EXT-X-PART", "EXT-X-TARGETDURATION",
        "EXT-X-MEDIA-SEQUENCE", "EXT-X-DISCONTINUITY-SEQUENCE", "EXT-X-ENDLIST", "EXT-X-PLAYLIST-TYPE",
        "EXT-X-I-FRAMES-ONLY", "EXT-X-PART-INF", "EXT-X-SERVER-CONTROL", "EXT-X-SKIP", "EXT-X-PRELOAD-HINT",
        "EXT-X-RENDITION-REPORT",
    ]

    // Master playlist tags (§4.3.4).
    private static let masterTags: Set<String> = [
        "EXT-X-MEDIA", "EXT-X-STREAM-INF", "EXT-X-I-FRAME-STREAM-INF", "EXT-X-SESSION-DATA", "EXT-X-SESSION-KEY",
        "EXT-X-CONTENT-STEERING",
    ]

    public var description: String {
        switch self {
        case .media: return "media playlist"
        case .master: return "master playlist"
        }
    }
}
