/// When `shoal ingest` re-encodes (`--transcode`).
public enum TranscodeMode: String, Sendable, CaseIterable {
    /// Re-encode only the streams that need it: codecs HLS players cannot play, or key frames too far apart.
    case auto
    /// Re-encode video and audio whatever they are.
    case always
    /// Never re-encode; a stream that would need it is an error.
    case never
}
