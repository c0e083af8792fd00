import CFFmpeg

/// The versions of the FFmpeg libraries Shoal runs with (read from the loaded libraries, not the
/// headers, so a mismatch between headers and shared libraries shows up here).
public struct FFmpegVersions: Sendable, Equatable {
    public var avformat: String
    public var avcodec: String
    public var avutil: String

    public static func current() throws(FFmpegLibraries.LoadError) -> FFmpegVersions {
        let libraries = try FFmpegLibraries.shared()
        return FFmpegVersions(
            avformat: dotted(libraries.avformatVersion()),
            avcodec: dotted(libraries.avcodecVersion()),
            avutil: dotted(libraries.avutilVersion())
        )
    }

    /// FFmpeg packs versions as major << 16 | minor << 8 | micro.
    static func dotted(_ packed: UInt32) -> String {
        "\(packed >> 16).\((packed >> 8) & 0xFF).\(packed & 0xFF)"
    }
}
