import CFFmpeg

/// The versions of the FFmpeg libraries Shoal runs with (read from the loaded libraries, not the
/// headers, so a mismatch between headers and shared libraries shows up here).
public struct FFmpegVersions: Sendable, Equatable {
    public var avformat: String
    public var avcodec: String
    public var avutil: String

    public static func current() throws(FFmpegLibraries.LoadError) -> FFmpegVersions {
        let api = try FFmpegLibraries.shared().api
        return FFmpegVersions(
            avformat: dotted(api.avformat_version()),
            avcodec: dotted(api.avcodec_version()),
            avutil: dotted(api.avutil_version())
        )
    }

    /// FFmpeg packs versions as major << 16 | minor << 8 | micro.
    static func dotted(_ packed: UInt32) -> String {
        "\(packed >> 16).\((packed >> 8) & 0xFF).\(packed & 0xFF)"
    }
}
