import Bencode
import CFFmpeg
import Glibc
import HLS
import TorrentModel

/// `shoal ingest`: a video file in, a video torrent out (docs/video-torrent.md).
///
/// Probe → plan (copy or re-encode each stream) → segment into a hidden staging folder, hashing each
/// segment as it is written → playlists → .torrent → rename into place. Any failure, or cancellation,
/// removes the staging folder: nothing half-made is left. Blocking: run it off the event loops.
public enum VideoIngest {
    /// The top-level key of the .torrent where an ingest notes its input and options (outside `info`).
    static let recordKey = "shoal ingest"

    public static func run(
        _ request: IngestRequest, cancellation: IngestCancellation = IngestCancellation(),
        progress: @escaping (IngestProgress) -> Void = { _ in }
    ) throws(IngestError) -> IngestResult {
        try MediaProbe.loadLibraries()
        if let problem = FileCheck.readableRegularFile(request.input) { throw .unreadable(request.input, problem) }
        let name = request.videoName
        let folderPath = request.outputFolder + "/" + name
        let torrentPath = request.outputFolder + "/" + name + ".torrent"
        let record = try inputRecord(request)

        if let reused = try reuse(
            torrentPath: torrentPath, folderPath: folderPath, record: record, force: request.force)
        {
            return reused
        }
        try OutputFolder.makeParents(request.outputFolder)

        progress(IngestProgress(phase: .probing, position: 0, duration: 0))
        let info = try MediaProbe.probe(path: request.input, audioTrack: request.audioTrack)
        let selection: StreamSelection
        do {
            selection = try StreamSelection.choose(from: info.streams, audioTrack: request.audioTrack)
        } catch {
            switch error {
            case .noVideoStream: throw .noVideoStream(request.input)
            case .noSuchAudioTrack(let track, let available):
                throw .noSuchAudioTrack(request.input, track: track, available: available)
            }
        }
        guard let start = info.videoKeyFrames.first else { throw .noVideoFrames(request.input) }
        let end = info.startTime + (info.duration ?? 0)
        let plan = try IngestPlan.make(
            selection: selection, keyFrames: info.videoKeyFrames, end: end, segmentDuration: request.segmentDuration,
            mode: request.transcode)

        let staging = try OutputFolder.create(request.outputFolder + "/" + stagingName(name))
        do throws(IngestError) {
            let made = try write(
                request, name: name, info: info, plan: plan, start: start, end: end, into: staging,
                cancellation: cancellation, progress: progress)
            let torrentBytes = MetainfoWriter.torrent(
                info: made.info,
                options: TorrentOptions(
                    trackerTiers: request.trackerTiers, createdBy: request.createdBy,
                    extraFields: [recordKey: record]))
            let metainfo: Metainfo
            do {
                metainfo = try Metainfo(bytes: torrentBytes)
            } catch {
                throw IngestError.media("the video torrent did not pass Shoal's own checks: \(error)")
            }
            try install(
                staging: staging, name: name, outputFolder: request.outputFolder, torrentBytes: torrentBytes)
            return IngestResult(
                torrentPath: torrentPath, folderPath: folderPath, metainfo: metainfo, reused: false,
                summary: made.summary)
        } catch {
            OutputFolder.removeTree(staging.path)
            throw error
        }
    }

    /// What the staging folder holds once written: the `info` dictionary and the figures.
    struct Made {
        var info: BencodeValue
        var summary: IngestSummary
    }

    // swiftlint:disable:next function_parameter_count
    static func write(
        _ request: IngestRequest, name: String, info: MediaInfo, plan: IngestPlan, start: Double, end: Double,
        into staging: OutputFolder, cancellation: IngestCancellation, progress: @escaping (IngestProgress) -> Void
    ) throws(IngestError) -> Made {
        let target = request.segmentDuration
        let timeline = SegmentTimeline(target: target, fastStart: request.fastStart)
        let cuts =
            plan.video.isCopied
            ? SegmentPlanner.cuts(keyFrames: info.videoKeyFrames, start: start, end: end, timeline: timeline)
            : SegmentPlanner.regularCuts(start: start, end: end, timeline: timeline)
        let duration = max(end - start, 0)
        let pieceLength = VideoTorrentLayout.pieceLength(
            bitRate: estimatedBitRate(info: info, plan: plan), segmentDuration: target, duration: duration)
        let nameWidth = max(5, String(Int(duration / target) * 2 + 10).count)

        var initSegment: [UInt8] = []
        let writer = SegmentWriter(folder: staging, pieceLength: pieceLength, nameWidth: nameWidth)
        let segmenter: Segmenter
        let codecs: [String]
        do {
            let input = try MediaProbe.open(request.input)
            segmenter = try Segmenter(
                input: input, plan: plan, start: start, cuts: cuts,
                settings: TranscodeSettings(
                    segmentDuration: target, fastStart: request.fastStart, timelineStart: start, globalHeader: true,
                    threads: encoderThreads))
            segmenter.onInitSegment = { initSegment = $0 }
            segmenter.onSegmentBytes = { writer.append($0) }
            segmenter.onSegmentEnd = { seconds in
                if let failure = writer.failure { throw failure }
                writer.endSegment(duration: seconds)
            }
            try segmenter.run(
                progress: { position in
                    progress(IngestProgress(phase: .segmenting, position: position, duration: duration))
                }, isCancelled: { cancellation.isCancelled })
            codecs = segmenter.codecStrings()
        } catch let error as IngestError {
            _ = try? writer.finish()
            throw writer.failure ?? error
        } catch let error as FFmpegError {
            _ = try? writer.finish()
            throw writer.failure ?? .media("\(request.input): \(error.description)")
        } catch {
            _ = try? writer.finish()
            throw writer.failure ?? .media("\(request.input): \(error)")
        }
        let written = try writer.finish()
        let segments = written.segments
        let hashes = written.hashes
        let produced = segments.reduce(0) { $0 + $1.duration }
        if let expected = info.duration, produced < expected * 0.9 - 1 {
            throw .corrupt(
                request.input,
                "the video ends at \(DurationText.seconds(produced)) of the \(DurationText.seconds(expected)) it claims"
            )
        }

        let mediaPlaylist = MediaPlaylist.video(
            segments: segments.map { MediaSegment(duration: $0.duration, uri: $0.name) },
            mapURI: VideoTorrentLayout.initSegment)
        let bandwidth = Bandwidth(segments: segments.map { (Int($0.length), $0.duration) })
        let video = segmenter.videoDimensions()
        let masterPlaylist = MasterPlaylist(variants: [
            VariantStream(
                uri: VideoTorrentLayout.mediaPlaylist, bandwidth: bandwidth.peak, averageBandwidth: bandwidth.average,
                codecs: codecs, resolution: video.map { Resolution(width: $0.width, height: $0.height) },
                frameRate: plan.video.stream.frameRate)
        ])
        let head: [(name: String, bytes: [UInt8])] = [
            (VideoTorrentLayout.masterPlaylist, Array(masterPlaylist.render().utf8)),
            (VideoTorrentLayout.mediaPlaylist, Array(mediaPlaylist.render().utf8)),
            (VideoTorrentLayout.initSegment, initSegment),
        ]
        var headHashes = PieceHashStream(pieceLength: pieceLength)
        for file in head {
            try staging.write(file.bytes, to: file.name)
            headHashes.append(file.bytes)
        }
        headHashes.padToPieceBoundary()
        let pieceHashes = headHashes.finish() + hashes
        let files = VideoTorrentLayout.files(
            head: head.map { ($0.name, Int64($0.bytes.count)) }, segments: segments.map { ($0.name, $0.length) },
            pieceLength: pieceLength)
        let infoDictionary = MetainfoWriter.info(
            name: name, files: files, isMultiFile: true, pieceLength: pieceLength, pieceHashes: pieceHashes,
            isPrivate: false)

        let totalBytes = head.reduce(Int64(0)) { $0 + Int64($1.bytes.count) } + segments.reduce(0) { $0 + $1.length }
        let summary = IngestSummary(
            segmentCount: segments.count, duration: produced, totalBytes: totalBytes,
            averageBitRate: bandwidth.average, peakBitRate: bandwidth.peak, codecs: codecs,
            resolution: video.map { "\($0.width)x\($0.height)" },
            streams: [plan.video, plan.audio].compactMap { $0 }.map(describe), pieceLength: pieceLength,
            pieceCount: pieceHashes.count / 20)
        return Made(info: infoDictionary, summary: summary)
    }

    /// One encoding thread: x264's output depends on its thread count, and with more than one it also depended on
    /// timing (two ingests on a loaded machine differed in their first segment). The same input must give the same
    /// bytes on every machine, every time.
    static let encoderThreads = 1

    static func describe(_ plan: StreamPlan) -> String {
        let kind = plan.stream.kind.rawValue
        switch plan.action {
        case .copy: return "\(kind) \(plan.stream.label): copied"
        case .transcode(let reason):
            let target = plan.stream.kind == .video ? "H.264" : "AAC"
            return "\(kind) \(plan.stream.label): re-encoded to \(target) (\(reason))"
        }
    }

    /// Bits per second the output will have, for the piece length: measured rates for copied streams,
    /// the encoder's cap for re-encoded video.
    static func estimatedBitRate(info: MediaInfo, plan: IngestPlan) -> Int {
        let audio = plan.audio.map { $0.isCopied ? ($0.stream.bitRate ?? 128_000) : 128_000 } ?? 0
        guard plan.video.isCopied else {
            return VideoTranscoder.maximumBitRate(height: plan.video.stream.height) / 2 + audio
        }
        if let video = plan.video.stream.bitRate { return video + audio }
        if let total = info.bitRate { return total }
        if let size = FileCheck.identity(info.path)?.size, let duration = info.duration, duration > 0 {
            return Int(Double(size) * 8 / duration)
        }
        return 2_000_000
    }

    /// The hidden name the output is built under: `.NAME.ingest-partial` (and `.torrent` after it).
    static func stagingName(_ name: String) -> String { "." + name + ".ingest-partial" }

    /// Moves the staging folder into place, then the .torrent (written beside it first).
    static func install(
        staging: OutputFolder, name: String, outputFolder: String, torrentBytes: [UInt8]
    )
        throws(IngestError)
    {
        let folderPath = outputFolder + "/" + name
        let torrentPath = folderPath + ".torrent"
        let temporaryName = stagingName(name) + ".torrent"
        let temporaryTorrent = outputFolder + "/" + temporaryName
        unlink(temporaryTorrent)
        try OutputFolder(path: outputFolder).write(torrentBytes, to: temporaryName)
        OutputFolder.removeTree(folderPath)
        guard rename(staging.path, folderPath) == 0 else {
            let failure = OutputFolder.failure(folderPath)
            unlink(temporaryTorrent)
            throw failure
        }
        guard rename(temporaryTorrent, torrentPath) == 0 else {
            let failure = OutputFolder.failure(torrentPath)
            unlink(temporaryTorrent)
            OutputFolder.removeTree(folderPath)
            throw failure
        }
    }
}
