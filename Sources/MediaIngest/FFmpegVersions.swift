import CFFmpeg

/// The versions of the FFmpeg libraries Shoal runs with (read at run time, not compile time,
/// so a mismatch between headers and the shared libraries shows up here).
public struct FFmpegVersions: Sendable, Equatable {
    public var avformat: String
    public var avcodec: String
    public var avutil: String

    public static var current: FFmpegVersions {
        FFmpegVersions(
            avformat: dotted(avformat_version()),
            avcodec: dotted(avcodec_version()),
            avutil: dotted(avutil_version())
        )
    }

    /// FFmpeg packs versions as major << 16 | minor << 8 | micro.
    static func dotted(_ packed: UInt32) -> String {
        "\(packed >> 16).\((packed >> 8) & 0xFF).\(packed & 0xFF)"
    }
}
