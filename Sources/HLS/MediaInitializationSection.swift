/// Where the bytes that every media segment needs before it can be parsed are (the fMP4 `init.mp4`),
/// named by `EXT-X-MAP` (RFC 8216 §4.3.2.5).
public struct MediaInitializationSection: Sendable, Equatable, Hashable {
    /// Relative to the playlist, as written.
    public var uri: String
    public var byteRange: ByteRange?

    public init(uri: String, byteRange: ByteRange? = nil) {
        self.uri = uri
        self.byteRange = byteRange
    }
}
