/// One torrent as the watch page and `GET /api/torrents/<infohash>` show it: progress, rates, the playback
/// estimate, quality of experience and the pieces as a bar. Encoded as JSON with these names (docs/streaming.md).
public struct StreamStatus: Codable, Hashable, Sendable {
    public var infoHash: String
    public var name: String
    /// Whether the torrent is a video torrent whose media playlist is known (false until it is verified).
    public var isVideo: Bool
    /// The playlist's duration in seconds, once known.
    public var durationSeconds: Double?
    public var pieceCount: Int
    public var pieceLength: Int
    public var verifiedPieces: Int
    public var verifiedBytes: Int64
    public var totalBytes: Int64
    /// Bytes per second, over the last 20 s.
    public var downloadRate: Double
    public var uploadRate: Double
    /// Piece payload received (accepted) and sent since the process started.
    public var downloaded: Int64
    public var uploaded: Int64
    public var peers: Int
    /// `deadline`, `rarest-first` or `sequential`.
    public var mode: String
    public var playback: Playback?
    public var quality: Quality
    /// Received piece payload by source: peers that had every piece when they sent it, and the others.
    public var bytesFromSeeds: Int64
    public var bytesFromPeers: Int64
    /// Received block bytes of no use (had already, or of pieces no longer wanted): what duplicate requests cost.
    public var redundantBytes: Int64
    /// One character per piece: `h` had (verified), `r` in flight (requested or being verified), `m` missing.
    public var pieceMap: String
    /// Pieces with deadlines now, earliest deadline first.
    public var deadlinePieces: [Int]
    /// Connected peers by how they were found (`tracker`, `dht`, `pex`, `lsd`, `manual`, `incoming`).
    public var peerSources: [String: Int]
    /// Nodes in the DHT's routing table; nil when the DHT is off.
    public var dhtNodes: Int?

    public init(
        infoHash: String, name: String, isVideo: Bool, durationSeconds: Double?, pieceCount: Int, pieceLength: Int,
        verifiedPieces: Int, verifiedBytes: Int64, totalBytes: Int64, downloadRate: Double, uploadRate: Double,
        downloaded: Int64, uploaded: Int64, peers: Int, mode: String, playback: Playback?, quality: Quality,
        bytesFromSeeds: Int64, bytesFromPeers: Int64, redundantBytes: Int64, pieceMap: String,
        deadlinePieces: [Int], peerSources: [String: Int] = [:], dhtNodes: Int? = nil
    ) {
        self.peerSources = peerSources
        self.dhtNodes = dhtNodes
        self.infoHash = infoHash
        self.name = name
        self.isVideo = isVideo
        self.durationSeconds = durationSeconds
        self.pieceCount = pieceCount
        self.pieceLength = pieceLength
        self.verifiedPieces = verifiedPieces
        self.verifiedBytes = verifiedBytes
        self.totalBytes = totalBytes
        self.downloadRate = downloadRate
        self.uploadRate = uploadRate
        self.downloaded = downloaded
        self.uploaded = uploaded
        self.peers = peers
        self.mode = mode
        self.playback = playback
        self.quality = quality
        self.bytesFromSeeds = bytesFromSeeds
        self.bytesFromPeers = bytesFromPeers
        self.redundantBytes = redundantBytes
        self.pieceMap = pieceMap
        self.deadlinePieces = deadlinePieces
    }

    /// Where the server estimates the player is.
    public struct Playback: Codable, Hashable, Sendable {
        public var positionSeconds: Double
        public var segment: Int
        /// Seconds of verified video from the position on, without a gap.
        public var bufferAheadSeconds: Double

        public init(positionSeconds: Double, segment: Int, bufferAheadSeconds: Double) {
            self.positionSeconds = positionSeconds
            self.segment = segment
            self.bufferAheadSeconds = bufferAheadSeconds
        }
    }

    /// `PlaybackQuality` and the session's deadline misses, in seconds.
    public struct Quality: Codable, Hashable, Sendable {
        public var startupSeconds: Double?
        public var stalls: Int
        public var stallSeconds: Double
        /// Segment requests waiting for pieces now.
        public var waiting: Int
        /// Pieces verified after their picker deadline, startup included.
        public var deadlineMisses: Int
        /// The same, since the first media segment was sent (lt_watcher.py counts libtorrent's misses this way).
        public var deadlineMissesWhilePlaying: Int
        public var segmentsServed: Int
        public var seeks: Int
        public var unavailableAnswers: Int

        public init(
            startupSeconds: Double?, stalls: Int, stallSeconds: Double, waiting: Int, deadlineMisses: Int,
            deadlineMissesWhilePlaying: Int, segmentsServed: Int, seeks: Int, unavailableAnswers: Int
        ) {
            self.startupSeconds = startupSeconds
            self.stalls = stalls
            self.stallSeconds = stallSeconds
            self.waiting = waiting
            self.deadlineMisses = deadlineMisses
            self.deadlineMissesWhilePlaying = deadlineMissesWhilePlaying
            self.segmentsServed = segmentsServed
            self.seeks = seeks
            self.unavailableAnswers = unavailableAnswers
        }
    }
}

extension StreamingMode {
    /// The mode's name on the command line and in JSON.
    public var name: String {
        switch self {
        case .deadline: return "deadline"
        case .rarestFirst: return "rarest-first"
        case .sequential: return "sequential"
        }
    }

    public init?(name: String) {
        guard let mode = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = mode
    }
}

extension Duration {
    /// The duration in seconds, as a `Double` (for JSON and display).
    public var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
