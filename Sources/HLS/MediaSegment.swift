/// One `#EXTINF` entry of a media playlist and the URI line after it.
public struct MediaSegment: Sendable, Equatable, Hashable {
    /// Seconds; written with six decimals, so anything finer than a microsecond is lost.
    public var duration: Double
    /// Relative to the playlist, as written.
    public var uri: String
    /// The optional human title after the comma of `#EXTINF`.
    public var title: String?

    public init(duration: Double, uri: String, title: String? = nil) {
        self.duration = duration
        self.uri = uri
        self.title = title
    }
}
