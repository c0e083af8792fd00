import Synchronization

/// What `shoal ingest` was asked to do.
public struct IngestRequest: Sendable {
    public var input: String
    /// The folder that receives `NAME/` and `NAME.torrent`; created if missing.
    public var outputFolder: String
    /// Nil: the input's file name without its extension.
    public var name: String?
    public var segmentDuration: Double
    /// Shorter first segments (`SegmentTimeline`), so players start sooner; off by default (docs/video-torrent.md).
    public var fastStart: Bool
    public var transcode: TranscodeMode
    /// Counting audio streams from 0; nil picks the default one.
    public var audioTrack: Int?
    /// Tracker tiers for the .torrent (outside `info`: they never change the infohash).
    public var trackerTiers: [[String]]
    /// Replace an output made from another input or with other options.
    public var force: Bool
    public var createdBy: String?

    public static let defaultSegmentDuration = 4.0
    /// Segment durations accepted: shorter ones make too many files, longer ones start playback late.
    public static let segmentDurationRange = 1.0...30.0

    public init(
        input: String, outputFolder: String = ".", name: String? = nil,
        segmentDuration: Double = IngestRequest.defaultSegmentDuration, fastStart: Bool = false,
        transcode: TranscodeMode = .auto,
        audioTrack: Int? = nil, trackerTiers: [[String]] = [], force: Bool = false, createdBy: String? = nil
    ) {
        self.input = input
        self.outputFolder = outputFolder
        self.name = name
        self.segmentDuration = segmentDuration
        self.fastStart = fastStart
        self.transcode = transcode
        self.audioTrack = audioTrack
        self.trackerTiers = trackerTiers
        self.force = force
        self.createdBy = createdBy
    }

    /// The name of the video folder and torrent.
    public var videoName: String {
        if let name { return name }
        let file = input.split(separator: "/").last.map(String.init) ?? input
        var stem = file
        if let dot = file.lastIndex(of: "."), dot != file.startIndex { stem = String(file[..<dot]) }
        return stem.isEmpty ? "video" : stem
    }

    /// The options that shape the output bytes, as recorded in the .torrent for reuse.
    var outputOptions: String {
        "segment-duration=\(segmentDuration)\(fastStart ? ";fast-start" : "");transcode=\(transcode.rawValue);audio-track="
            + (audioTrack.map(String.init) ?? "default")
    }
}

/// Set from a signal handler's thread to stop an ingest at the next packet.
public final class IngestCancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    public func cancel() { flag.store(true, ordering: .relaxed) }
    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

/// How far an ingest has got, for a progress bar.
public struct IngestProgress: Sendable {
    public enum Phase: Sendable {
        /// Reading the file for its key frames (files without an index).
        case probing
        /// Writing segments: `position` of `duration` seconds.
        case segmenting
    }

    public var phase: Phase
    public var position: Double
    public var duration: Double
}
