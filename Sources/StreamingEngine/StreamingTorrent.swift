import HLS
import Logging
import PieceStorage
import Streaming
import Swarm
import SwarmEngine
import Synchronization
import TorrentModel

/// One torrent being watched: turns the player's requests into deadlines for the swarm (docs/streaming.md)
/// and hands the HTTP server verified bytes only.
///
/// The HTTP server calls `prepare(fileIndex:range:)` before it sends a file: that records the request
/// (playback estimate, quality figures), gives the pieces a deadline when they are missing, and waits a bounded
/// time for them to be verified. `read(fileIndex:range:)` then reads bytes whose pieces are all verified. `run()`
/// recomputes the schedule every second so that late pieces become due now and the window slides with playback.
public actor StreamingTorrent {
    public nonisolated let metainfo: Metainfo
    public nonisolated let session: TorrentSession
    nonisolated let store: any PieceStore
    public nonisolated let settings: StreamingSettings
    nonisolated let logger: Logger
    /// Data files by path (components joined with `/`); pad files are not served.
    private nonisolated let fileIndexByPath: [String: Int]
    /// The pieces of the media playlist (`media.m3u8`, Shoal's layout); none when the torrent has no such file.
    private nonisolated let mediaPlaylistPieces: Range<Int>
    private var index: VideoTorrentIndex?
    /// Set when the torrent turned out not to be a video torrent (or its playlist is unusable): files are still
    /// served, with deadlines only for what is asked for.
    private var notVideo: Bool
    private var estimator: PlaybackEstimator?
    private var schedule: DeadlineSchedule?
    /// Pieces a request is waiting for that the schedule does not cover (playlists of another layout, files of
    /// a torrent that is not a video): due now until verified.
    private var demanded: Set<Int> = []
    var quality = PlaybackQuality()
    /// The session's deadline misses when the first media segment was sent: the misses since are those while
    /// playing (startup's pieces, the head and the first segment's, are due at once: late by construction).
    private(set) var deadlineMissesBeforePlayback: Int?
    private nonisolated let stopped = Atomic<Bool>(false)
    /// When `begin()` ran: the head-only phase lasts at most `settings.headOnlyLimit` from then.
    private var begunAt: ContinuousClock.Instant?

    /// How long a request waits for its pieces before the answer is 503 with `Retry-After` (by default).
    public static let defaultPieceWait: Duration = .seconds(8)
    public nonisolated let pieceWait: Duration
    /// How often the schedule is recomputed while nothing is asked.
    public static let rescheduleInterval: Duration = .seconds(1)
    /// The most bytes read from the store at once for an HTTP answer.
    public static let readChunk = 256 * 1024

    /// Nodes in the DHT's routing table, for the status; nil without DHT.
    public nonisolated let dhtNodeCount: (@Sendable () async -> Int)?

    public init(
        metainfo: Metainfo, session: TorrentSession, store: any PieceStore, settings: StreamingSettings = .standard,
        pieceWait: Duration = defaultPieceWait, dhtNodeCount: (@Sendable () async -> Int)? = nil, logger: Logger
    ) {
        self.dhtNodeCount = dhtNodeCount
        self.pieceWait = pieceWait
        self.metainfo = metainfo
        self.session = session
        self.store = store
        self.settings = settings
        self.logger = logger
        var paths: [String: Int] = [:]
        for (position, file) in metainfo.files.enumerated() where !file.isPadding {
            paths[file.pathString] = position
        }
        fileIndexByPath = paths
        mediaPlaylistPieces =
            paths[VideoTorrentIndex.defaultPlaylistPath].map {
                metainfo.geometry.pieces(covering: metainfo.files[$0].byteRange)
            } ?? 0..<0
        notVideo = !metainfo.files.contains { !$0.isPadding && $0.path.last?.hasSuffix(".m3u8") == true }
    }

    public nonisolated var infoHash: InfoHash { metainfo.infoHash }

    /// The data file at `path` (components below the torrent's folder); nil for an unknown path or a pad file.
    public nonisolated func fileIndex(atPath path: [String]) -> Int? {
        fileIndexByPath[path.joined(separator: "/")]
    }

    /// What the HTTP planner needs of file `fileIndex`.
    public nonisolated func servedFile(_ fileIndex: Int) -> ServedFile {
        ServedFile(infoHash: metainfo.infoHash, fileIndex: fileIndex, file: metainfo.files[fileIndex])
    }

    /// The player asked for `range` of a file: records the request, and returns once every piece under the range
    /// is verified (true), or after `pieceWait` (false: answer 503).
    public func prepare(fileIndex: Int, range: Range<Int64>) async -> Bool {
        let wait = pieceWait
        let now = ContinuousClock.now
        let file = metainfo.files[fileIndex]
        if file.path.last?.hasSuffix(".m3u8") == true { quality.playlistRequested(at: now) }
        let have = await session.have
        await buildIndexIfReady(have: have)
        let segment = index?.segment(atPath: file.pathString)
        var seek = false
        if let segment, var estimator {
            seek = estimator.record(segment: segment.index, at: now).isSeek
            self.estimator = estimator
            if seek { quality.seeked() }
        }
        guard !range.isEmpty else { return true }
        let pieces = metainfo.geometry.pieces(
            covering: (file.offset + range.lowerBound)..<(file.offset + range.upperBound))
        let missing = pieces.filter { !have[$0] }
        if let segment {
            logger.trace("\(metainfo.name): segment \(segment.index) requested, pieces \(missing) missing")
        }
        if missing.isEmpty {
            if let segment {
                // Held, the schedule starts from the delivery, with what came meanwhile.
                let held = await holdIfStarting(segment, requestedAt: now)
                let sentAt = held ? ContinuousClock.now : now
                await segmentSent(segment, at: sentAt)
                await reschedule(now: sentAt, seek: seek, have: held ? await session.have : have)
            }
            return true
        }
        // Outside the schedule (not a video torrent, or a file the playlist does not name) the request itself
        // sets the deadline; in the plain modes only the schedule's order counts.
        if settings.mode == .deadline && (segment == nil || index == nil) { demanded.formUnion(missing) }
        await reschedule(now: now, seek: seek, have: have)
        var ready = false
        // Waiting for a segment that playback has not reached yet is read-ahead: the player still has video. It
        // becomes a stall when the estimated position reaches the segment's start.
        if let segment, let position = estimator?.position(at: now), position.time < segment.start {
            ready = await session.waitForPieces(missing, timeout: min(segment.start - position.time, wait))
        }
        if !ready {
            let stallStart = ContinuousClock.now
            // Before the first segment was sent, the wait is startup, measured as such.
            let stall = segment != nil && quality.firstSegmentSent != nil ? quality.stallBegan(at: stallStart) : nil
            ready = await session.waitForPieces(missing, timeout: max(.zero, wait - (stallStart - now)))
            if let stall {
                quality.stallEnded(stall, at: .now, unavailable: !ready)
                let stalled = DurationText.milliseconds(ContinuousClock.now - stallStart)
                logger.trace("\(metainfo.name): stalled \(stalled) on segment \(segment?.index ?? -1)")
            }
        }
        if ready, let segment {
            await holdIfStarting(segment, requestedAt: now)
            await segmentSent(segment, at: .now)
            let waited = ContinuousClock.now - now
            logger.trace("\(metainfo.name): segment \(segment.index) ready after \(DurationText.milliseconds(waited))")
        }
        return ready
    }

    /// Holds a run's first segment back until the next one is verified too, for at most
    /// `settings.startupBuffer` since the run began (`StartupBuffer`); true if it waited.
    @discardableResult
    private func holdIfStarting(_ segment: VideoSegment, requestedAt now: ContinuousClock.Instant) async -> Bool {
        let runBegan = quality.firstSegmentSent == nil ? quality.firstPlaylistRequest ?? now : now
        guard let index,
            let hold = StartupBuffer(
                segment: segment, index: index, startingSegment: estimator?.startingSegment, runBegan: runBegan,
                settings: settings)
        else { return false }
        let have = await session.have
        let missing = hold.pieces.filter { !have[$0] }
        let left = hold.until - ContinuousClock.now
        guard !missing.isEmpty, left > .zero else { return false }
        _ = await session.waitForPieces(missing, timeout: left)
        return true
    }

    /// Counts a media segment sent and tells the estimator it was delivered; the first one starts playback, so the
    /// session's misses so far are startup's.
    private func segmentSent(_ segment: VideoSegment, at now: ContinuousClock.Instant) async {
        estimator?.delivered(segment: segment.index, at: now)
        let first = quality.firstSegmentSent == nil
        quality.segmentSent(at: now)
        if first { deadlineMissesBeforePlayback = await session.deadlineMisses }
    }

    /// Bytes `range` of file `fileIndex`, every piece under them verified (the store refuses anything else), at
    /// most `readChunk` at a time.
    public nonisolated func read(fileIndex: Int, range: Range<Int64>) async throws(StorageError) -> [UInt8] {
        try await store.readRange(fileIndex: fileIndex, range: range)
    }

    /// Applies the first schedule: call it before the session has peers, so that its first requests are for the
    /// head. `run()` calls it too; only the first call does anything.
    public func begin() async {
        guard begunAt == nil else { return }
        begunAt = .now
        if settings.mode == .deadline {
            // Shorter request queues, so an urgent block waits behind less read-ahead at every uploader.
            await session.setRequestQueueTime(settings.requestQueueTime)
            // Peers behind us in the video cannot pay back; what we send them counts for their upload slot too.
            if settings.unchokesByExchange { await session.setLeechingMode(.exchange) }
        }
        await reschedule(now: .now, seek: false, have: await session.have)
    }

    /// Recomputes the schedule every `rescheduleInterval` until cancelled or stopped, and as soon as the media
    /// playlist is verified, so that the first segment's pieces are asked for at once.
    public func run() async {
        await begin()
        while !Task.isCancelled && !stopped.load(ordering: .relaxed) {
            if index == nil && !notVideo {
                let waitStart = ContinuousClock.now
                // False at once when the session closed: then wait out the interval all the same.
                if !(await session.waitForPieces(Array(mediaPlaylistPieces), timeout: Self.rescheduleInterval)) {
                    try? await Task.sleep(until: waitStart + Self.rescheduleInterval)
                }
            } else {
                try? await Task.sleep(for: Self.rescheduleInterval)
            }
            await reschedule(now: .now, seek: false, have: await session.have)
        }
    }

    /// Ends `run()` (the torrent stopped streaming: paused or removed).
    public nonisolated func stop() { stopped.store(true, ordering: .relaxed) }

    /// A video torrent as `shoal ingest` makes them (docs/video-torrent.md): `master.m3u8` at its top.
    public static func isVideoTorrent(_ metainfo: Metainfo) -> Bool {
        metainfo.files.contains { !$0.isPadding && $0.path == ["master.m3u8"] }
    }

    // MARK: - Scheduling

    /// Builds the index once the media playlist (`media.m3u8`, Shoal's layout) is verified; `have` is the session's.
    private func buildIndexIfReady(have: Bitfield) async {
        guard index == nil, !notVideo else { return }
        let playlistPath = VideoTorrentIndex.defaultPlaylistPath
        guard let playlistIndex = fileIndexByPath[playlistPath] else {
            notVideo = true
            return
        }
        let file = metainfo.files[playlistIndex]
        guard mediaPlaylistPieces.allSatisfy({ have[$0] }) else { return }
        guard file.length <= Int64(StorageLimits.maximumReadLength) else {
            logger.warning("\(metainfo.name): \(playlistPath) is too large to be a playlist; streaming without it")
            notVideo = true
            return
        }
        do {
            let bytes = try await store.readRange(fileIndex: playlistIndex, range: 0..<file.length)
            let playlist = try MediaPlaylist(parsing: bytes)
            let built = try VideoTorrentIndex(metainfo: metainfo, playlist: playlist, playlistPath: playlistPath)
            index = built
            estimator = PlaybackEstimator(index: built, settings: settings)
        } catch {
            logger.warning("\(metainfo.name): cannot use \(playlistPath) for streaming: \(error)")
            notVideo = true
        }
    }

    /// A new schedule from the playback estimate, applied to the session (what changed only). `have` is the
    /// session's verified pieces, read once by the caller.
    func reschedule(now: ContinuousClock.Instant, seek: Bool, have: Bitfield) async {
        await buildIndexIfReady(have: have)
        demanded = demanded.filter { !have[$0] }
        let next: DeadlineSchedule?
        if let index {
            next = DeadlineSchedule(
                index: index, position: estimator?.position(at: now), now: now, settings: settings, previous: schedule,
                have: have)
        } else if !notVideo {
            next = DeadlineSchedule(
                playlistPieces: VideoTorrentIndex.playlistPieces(
                    files: metainfo.files, pieceLength: metainfo.pieceLength),
                pieceCount: metainfo.pieceCount, now: now, settings: settings, previous: schedule, have: { have[$0] })
        } else {
            next = nil
        }
        var deadlines = (next?.changed ?? []).map { (piece: $0.piece, deadline: $0.deadline) }
        var cleared = next?.cleared ?? []
        var urgentBefore = next?.urgentBefore
        if !demanded.isEmpty {
            cleared.removeAll { demanded.contains($0) }
            deadlines += demanded.sorted().map { (piece: $0, deadline: now) }
            urgentBefore = max(urgentBefore ?? now, now + .nanoseconds(1))
        }
        schedule = next
        // Until the first segment is out, startup is all that counts: the head and the first segments in playback
        // order, urgent blocks from two peers at once. Afterwards, rarest first within the window keeps watchers
        // at the same place from all asking the origin for the same pieces.
        let started = quality.firstSegmentSent != nil
        // Until the playlist says where the segments are, the head alone (bounded by `headOnlyLimit`).
        let headOnly =
            settings.mode == .deadline && index == nil && !notVideo
            && begunAt.map { now - $0 < settings.headOnlyLimit } ?? true
        await session.applyDeadlines(
            deadlines, cleared: cleared, cancelCleared: seek, urgentBefore: urgentBefore,
            order: settings.mode == .deadline && started ? .rarestWithinWindow : .earliestFirst,
            deadlinePiecesOnly: headOnly)
    }

    // MARK: - Figures

    /// The index, once the media playlist is verified (nil for a torrent that is not a video).
    public var videoIndex: VideoTorrentIndex? { index }

    public var playbackQuality: PlaybackQuality { quality }

    /// The estimated playback position now (nil before the first segment request).
    public var position: PlaybackPosition? { estimator?.position(at: .now) }
}
