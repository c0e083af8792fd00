import TorrentModel

/// What an ingest produced (or found already made).
public struct IngestResult: Sendable {
    public var torrentPath: String
    public var folderPath: String
    public var metainfo: Metainfo
    /// True when an earlier ingest of the same input with the same options was reused.
    public var reused: Bool
    public var summary: IngestSummary
}

/// The figures printed at the end of an ingest.
public struct IngestSummary: Sendable, Equatable {
    public var segmentCount: Int
    /// Seconds, the sum of the segment durations.
    public var duration: Double
    /// Bytes of all files of the video folder.
    public var totalBytes: Int64
    public var averageBitRate: Int
    public var peakBitRate: Int
    /// RFC 6381 codec strings, e.g. ["avc1.64001f", "mp4a.40.2"].
    public var codecs: [String]
    public var resolution: String?
    /// One line per stream: "video stream 0 (h264): copied" or "... re-encoded to H.264: reason".
    public var streams: [String]
    public var pieceLength: Int
    public var pieceCount: Int
}
