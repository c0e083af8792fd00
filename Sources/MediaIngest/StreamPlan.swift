import TorrentModel

/// What happens to one chosen stream: copied as it is, or re-encoded (and why).
public struct StreamPlan: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        case copy
        case transcode(reason: String)
    }

    public var stream: StreamInfo
    public var action: Action

    public var isCopied: Bool { action == .copy }

    /// Whether HLS players (browsers above all) play the stream as it is, and if not, why.
    static func playability(of stream: StreamInfo) -> String? {
        switch stream.kind {
        case .video:
            guard stream.codec == "h264" else { return "\(stream.codec) video is not playable over HLS (needs H.264)" }
            // High 10, 4:2:2 and 4:4:4 profiles, and anything but 8-bit 4:2:0, do not decode in browsers.
            if let format = stream.pixelFormat, !["yuv420p", "yuvj420p"].contains(format) {
                return "H.264 in \(format) is not playable in browsers (needs 8-bit 4:2:0)"
            }
            if let profile = stream.profile, profile > 100 {
                return "H.264 profile \(profile) is not playable in browsers"
            }
            return nil
        case .audio:
            return stream.codec == "aac" ? nil : "\(stream.codec) audio is not playable over HLS (needs AAC)"
        default:
            return "\(stream.kind.rawValue) streams are not part of a video"
        }
    }
}

/// The plan for a whole ingest: which streams, copied or re-encoded.
public struct IngestPlan: Sendable, Equatable {
    public var video: StreamPlan
    public var audio: StreamPlan?

    /// A segment cannot be shorter than the stretch between two key frames; past this multiple of the
    /// target duration, copied video would make segments too long to stream well, so it is re-encoded.
    public static let maximumKeyFrameGapFactor = 2.0

    public static func make(
        selection: StreamSelection, keyFrames: [Double], end: Double, segmentDuration: Double, mode: TranscodeMode
    ) throws(IngestError) -> IngestPlan {
        var videoReason = StreamPlan.playability(of: selection.video)
        if videoReason == nil {
            let gap = SegmentPlanner.longestKeyFrameGap(keyFrames: keyFrames, end: end)
            if gap > segmentDuration * maximumKeyFrameGapFactor {
                videoReason =
                    "key frames up to \(DurationText.seconds(gap)) apart, more than twice the "
                    + "\(DurationText.seconds(segmentDuration)) segment duration"
            }
        }
        let audioReason = selection.audio.flatMap { StreamPlan.playability(of: $0) }
        return IngestPlan(
            video: try plan(selection.video, reason: videoReason, mode: mode),
            audio: try selection.audio.map { audio throws(IngestError) in
                try plan(audio, reason: audioReason, mode: mode)
            })
    }

    private static func plan(
        _ stream: StreamInfo, reason: String?, mode: TranscodeMode
    ) throws(IngestError)
        -> StreamPlan
    {
        switch mode {
        case .always: return StreamPlan(stream: stream, action: .transcode(reason: "--transcode always"))
        case .never:
            if let reason { throw .transcodeRefused(stream: stream.label, reason: reason) }
            return StreamPlan(stream: stream, action: .copy)
        case .auto:
            return StreamPlan(stream: stream, action: reason.map { .transcode(reason: $0) } ?? .copy)
        }
    }
}
