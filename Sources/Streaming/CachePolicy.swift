/// The `Cache-Control` of an answer (RFC 9111 §5.2.2).
public enum CachePolicy: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// `no-cache`: caches may keep it but must revalidate (with `If-None-Match`) before each use. Playlists:
    /// they are small and the node may one day rewrite them.
    case revalidate
    /// `public, max-age=31536000, immutable`: never changes. Every other file of a torrent, since the infohash
    /// fixes its bytes.
    case immutable
    /// `no-store`: errors, which stop being true once the torrent is added or its metadata arrives.
    case noStore

    public var headerValue: String {
        switch self {
        case .revalidate: return "no-cache"
        case .immutable: return "public, max-age=\(HTTPServingLimits.immutableMaxAgeSeconds), immutable"
        case .noStore: return "no-store"
        }
    }

    public var description: String { headerValue }
}
