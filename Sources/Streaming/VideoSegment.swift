/// One media segment of the playlist: where it plays on the video's timeline and which pieces hold it.
public struct VideoSegment: Hashable, Sendable {
    /// Position in the playlist, from 0.
    public var index: Int
    /// As written in the playlist.
    public var uri: String
    /// The torrent file it names, relative to the torrent's folder.
    public var path: String
    /// The sum of the durations of the segments before it.
    public var start: Duration
    public var duration: Duration
    public var byteRange: Range<Int64>
    public var pieces: Range<Int>

    public init(
        index: Int, uri: String, path: String, start: Duration, duration: Duration, byteRange: Range<Int64>,
        pieces: Range<Int>
    ) {
        self.index = index
        self.uri = uri
        self.path = path
        self.start = start
        self.duration = duration
        self.byteRange = byteRange
        self.pieces = pieces
    }

    public var end: Duration { start + duration }
}
