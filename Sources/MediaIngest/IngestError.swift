/// Why an ingest failed; `description` is the one line the CLI prints.
public enum IngestError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The FFmpeg libraries could not be loaded.
    case libraries(String)
    /// The input cannot be opened (missing, a folder, no permission).
    case unreadable(String, String)
    /// libavformat does not recognise the file as media.
    case notMedia(String, String)
    /// The file is media but reading it failed part-way (truncated, damaged).
    case corrupt(String, String)
    case noVideoStream(String)
    case noSuchAudioTrack(String, track: Int, available: Int)
    case noVideoFrames(String)
    /// `--transcode never`, but a stream must be re-encoded: the stream and the reason.
    case transcodeRefused(stream: String, reason: String)
    /// A stream must be re-encoded and cannot be (no encoder, no decoder).
    case transcodeFailed(stream: String, reason: String)
    /// The output folder cannot be created or written.
    case output(String, String)
    case diskFull(String)
    /// What exists at the output path was made from another input or other options.
    case outputExists(String)
    case interrupted
    /// libavformat/libavcodec failed while writing the segments.
    case media(String)

    public var description: String {
        switch self {
        case .libraries(let reason): reason
        case .unreadable(let path, let reason): "\(path): cannot read: \(reason)"
        case .notMedia(let path, let reason): "\(path): not a video file libavformat can read (\(reason))"
        case .corrupt(let path, let reason): "\(path): damaged or truncated video file (\(reason))"
        case .noVideoStream(let path): "\(path): has no video stream"
        case .noSuchAudioTrack(let path, let track, let available):
            available == 0
                ? "\(path): --audio-track \(track): the file has no audio streams"
                : "\(path): --audio-track \(track): the file has \(available) audio streams (0 to \(available - 1))"
        case .noVideoFrames(let path): "\(path): the video stream has no frames"
        case .transcodeRefused(let stream, let reason):
            "\(stream): \(reason), and --transcode never forbids re-encoding it"
        case .transcodeFailed(let stream, let reason): "\(stream): cannot re-encode: \(reason)"
        case .output(let path, let reason): "\(path): cannot write the output: \(reason)"
        case .diskFull(let path): "\(path): disk full while writing the output; nothing was kept"
        case .outputExists(let path):
            "\(path): exists and was made from another input or other options (use --force to replace it, or --name)"
        case .interrupted: "interrupted; nothing was kept"
        case .media(let reason): reason
        }
    }
}
