/// A data file of a video torrent (pad files are left out) and where it sits.
public struct VideoFile: Hashable, Sendable {
    /// Relative to the torrent's folder, components joined with `/` ("media.m3u8", "segment-00003.m4s").
    public var path: String
    /// Its bytes in the torrent's byte stream.
    public var byteRange: Range<Int64>
    /// The pieces holding any of its bytes (empty for an empty file).
    public var pieces: Range<Int>

    public init(path: String, byteRange: Range<Int64>, pieces: Range<Int>) {
        self.path = path
        self.byteRange = byteRange
        self.pieces = pieces
    }
}
