import HLS
import TorrentModel

/// Where every file and segment of a video torrent sits: byte ranges, pieces, and the segments' times.
///
/// Built from the torrent's files and its media playlist (docs/video-torrent.md). Paths are relative to the
/// torrent's folder; playlist URIs are resolved against the playlist's folder, and must be plain relative
/// paths naming data files of the torrent, so a hostile playlist cannot point the server anywhere else.
public struct VideoTorrentIndex: Hashable, Sendable {
    public let pieceLength: Int
    public let pieceCount: Int
    /// The data files in torrent order, pad files left out.
    public let files: [VideoFile]
    /// The media segments in playback order.
    public let segments: [VideoSegment]
    /// The file `EXT-X-MAP` names, if any.
    public let initSectionPath: String?
    /// The pieces of the playlists (every `.m3u8` file) and of the init section, sorted: nothing plays
    /// without them.
    public let headPieces: [Int]

    private let fileIndexByPath: [String: Int]
    private let segmentIndexByURI: [String: Int]
    private let segmentIndexByPath: [String: Int]

    /// Indexes a torrent whose media playlist `playlist` was read from the file `playlistPath`.
    public init(
        metainfo: Metainfo, playlist: MediaPlaylist, playlistPath: String = defaultPlaylistPath
    )
        throws(VideoTorrentIndexError)
    {
        try self.init(
            files: metainfo.files, pieceLength: metainfo.pieceLength, playlist: playlist, playlistPath: playlistPath)
    }

    /// The same from plain values: `files` in torrent order, pad files included, as `Metainfo.files`.
    public init(
        files torrentFiles: [TorrentFile], pieceLength: Int, playlist: MediaPlaylist,
        playlistPath: String = defaultPlaylistPath
    ) throws(VideoTorrentIndexError) {
        let geometry = PieceGeometry(
            totalLength: torrentFiles.last.map { $0.offset + $0.length } ?? 0, pieceLength: pieceLength)
        let files = Self.dataFiles(torrentFiles, geometry: geometry)
        var fileIndexByPath: [String: Int] = [:]
        for (position, file) in files.enumerated() { fileIndexByPath[file.path] = position }
        guard fileIndexByPath[playlistPath] != nil else { throw .playlistNotInTorrent(playlistPath) }
        guard !playlist.segments.isEmpty else { throw .noSegments }

        let folder = Array(playlistPath.split(separator: "/", omittingEmptySubsequences: false).dropLast())
            .map(String.init)
        func file(named uri: String) throws(VideoTorrentIndexError) -> VideoFile {
            let path = try PlaylistURI.resolve(uri, in: folder)
            guard let position = fileIndexByPath[path] else { throw .notInTorrent(uri: uri, path: path) }
            return files[position]
        }

        var initSection: VideoFile?
        if let map = playlist.map { initSection = try file(named: map.uri) }
        var segments: [VideoSegment] = []
        segments.reserveCapacity(playlist.segments.count)
        var segmentIndexByURI: [String: Int] = [:]
        var segmentIndexByPath: [String: Int] = [:]
        var start = Duration.zero
        for (index, entry) in playlist.segments.enumerated() {
            let target = try file(named: entry.uri)
            guard segmentIndexByPath[target.path] == nil, target.path != initSection?.path else {
                throw .duplicateFile(uri: entry.uri)
            }
            guard let duration = Self.duration(seconds: entry.duration) else {
                throw .invalidDuration(uri: entry.uri, seconds: entry.duration)
            }
            segments.append(
                VideoSegment(
                    index: index, uri: entry.uri, path: target.path, start: start, duration: duration,
                    byteRange: target.byteRange, pieces: target.pieces))
            segmentIndexByURI[entry.uri] = index
            segmentIndexByPath[target.path] = index
            start += duration
        }

        var head = Set(Self.playlistPieces(files: torrentFiles, pieceLength: pieceLength))
        if let initSection { head.formUnion(initSection.pieces) }

        self.pieceLength = pieceLength
        self.pieceCount = geometry.pieceCount
        self.files = files
        self.segments = segments
        self.initSectionPath = initSection?.path
        self.headPieces = head.sorted()
        self.fileIndexByPath = fileIndexByPath
        self.segmentIndexByURI = segmentIndexByURI
        self.segmentIndexByPath = segmentIndexByPath
    }

    /// Where Shoal's seeder writes the media playlist (docs/video-torrent.md).
    public static let defaultPlaylistPath = "media.m3u8"

    /// The pieces of every playlist (`.m3u8` data file) of a torrent, sorted: what a watcher fetches first,
    /// before it can read the media playlist and build the index. In Shoal's layout they share the first
    /// piece(s) with the init segment.
    public static func playlistPieces(files: [TorrentFile], pieceLength: Int) -> [Int] {
        let geometry = PieceGeometry(
            totalLength: files.last.map { $0.offset + $0.length } ?? 0, pieceLength: pieceLength)
        var pieces = Set<Int>()
        for file in files where !file.isPadding && file.path.last?.hasSuffix(".m3u8") == true {
            pieces.formUnion(geometry.pieces(covering: file.byteRange))
        }
        return pieces.sorted()
    }

    /// The whole video: the end of the last segment.
    public var duration: Duration { segments.last?.end ?? .zero }

    public func file(atPath path: String) -> VideoFile? { fileIndexByPath[path].map { files[$0] } }

    /// The segment a playlist line names, spelled as in the playlist.
    public func segment(uri: String) -> VideoSegment? { segmentIndexByURI[uri].map { segments[$0] } }

    /// The segment stored in a torrent file.
    public func segment(atPath path: String) -> VideoSegment? { segmentIndexByPath[path].map { segments[$0] } }

    /// The segment playing at `time` (start inclusive, end exclusive); nil before 0 and from the end on.
    /// O(log segments).
    public func segment(containing time: Duration) -> VideoSegment? {
        guard time >= .zero, time < duration else { return nil }
        // The first segment ending after `time`; it starts at or before it, since starts are earlier ends.
        var low = 0
        var high = segments.count - 1
        while low < high {
            let middle = (low + high) / 2
            if segments[middle].end > time { high = middle } else { low = middle + 1 }
        }
        return segments[low]
    }

    // MARK: Building

    private static func dataFiles(_ files: [TorrentFile], geometry: PieceGeometry) -> [VideoFile] {
        files.filter { !$0.isPadding }.map { file in
            VideoFile(
                path: file.pathString, byteRange: file.byteRange, pieces: geometry.pieces(covering: file.byteRange))
        }
    }

    /// Playlists write durations in microseconds, so converting at that resolution is exact (a Double
    /// would drift when summed over thousands of segments). Below 10^12 s, as `PlaylistLimits` parses.
    private static func duration(seconds: Double) -> Duration? {
        guard seconds.isFinite, seconds >= 0, seconds < 1e12 else { return nil }
        return .microseconds(Int64((seconds * 1_000_000).rounded()))
    }
}
