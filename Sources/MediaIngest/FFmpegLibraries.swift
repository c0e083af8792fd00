import CFFmpeg

#if canImport(Glibc)
    import Glibc
#endif

/// The FFmpeg shared libraries, opened on first use.
///
/// Shoal compiles against the FFmpeg headers (through `CFFmpeg`) but opens libavutil, libavcodec,
/// libavformat, libswscale and libswresample with `dlopen` the first time a command needs them, by the
/// soname that matches the headers' major version. Linking them instead would load about 150 shared
/// objects into every `shoal` process, which costs ~60 ms of start-up even for `shoal create`. Every
/// function is looked up once into `ShoalFFmpeg`, a table of pointers typed by the headers (CFFmpeg/shim.h).
public struct FFmpegLibraries: Sendable {
    /// Why the libraries could not be opened; the message names the file and the package to install.
    public struct LoadError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// The functions; immutable after loading, so sharing it between threads is safe.
    let api: ShoalFFmpeg

    /// The sonames this build opens, e.g. `libavformat.so.59`.
    public static let sonames = (
        avutil: "libavutil.so.\(shoal_avutil_major)",
        avcodec: "libavcodec.so.\(shoal_avcodec_major)",
        avformat: "libavformat.so.\(shoal_avformat_major)",
        swscale: "libswscale.so.\(shoal_swscale_major)",
        swresample: "libswresample.so.\(shoal_swresample_major)"
    )

    /// The process-wide instance, or the error that stopped it from loading (tried once).
    public static func shared() throws(LoadError) -> FFmpegLibraries {
        try loaded.get()
    }

    private static let loaded: Result<FFmpegLibraries, LoadError> = Result { () throws(LoadError) in
        // avutil first: the others depend on it, and opening it ourselves gives the clearest error.
        let avutil = try open(sonames.avutil, package: "libavutil\(shoal_avutil_major)")
        let avcodec = try open(sonames.avcodec, package: "libavcodec\(shoal_avcodec_major)")
        let avformat = try open(sonames.avformat, package: "libavformat\(shoal_avformat_major)")
        let swscale = try open(sonames.swscale, package: "libswscale\(shoal_swscale_major)")
        let swresample = try open(sonames.swresample, package: "libswresample\(shoal_swresample_major)")
        let table = UnsafeMutablePointer<ShoalFFmpeg>.allocate(capacity: 1)
        defer { table.deallocate() }
        if let missing = shoal_ffmpeg_bind(table, avutil, avcodec, avformat, swscale, swresample) {
            throw LoadError(description: "the FFmpeg libraries have no function \(String(cString: missing))")
        }
        // FFmpeg's own messages would interleave with Shoal's output; its errors reach the user through
        // the return codes instead (FFmpegError).
        table.pointee.av_log_set_level(AV_LOG_QUIET)
        return FFmpegLibraries(api: table.pointee)
    }

    /// The handle stays open for the life of the process; FFmpeg is never unloaded.
    private static func open(_ soname: String, package: String) throws(LoadError) -> UnsafeMutableRawPointer {
        guard let handle = dlopen(soname, RTLD_NOW | RTLD_GLOBAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown error"
            throw LoadError(
                description: "cannot load FFmpeg library \(soname) (\(reason)); install it: apt-get install \(package)")
        }
        return handle
    }
}

/// The loaded functions, for the wrappers in this module; callers have already loaded the libraries
/// (every entry point starts with `FFmpegLibraries.shared()`). A global, initialised once on first use: the
/// per-packet loops call through it, and fetching the table anew for each call would copy it each time.
let ff: ShoalFFmpeg = {
    // swift-format-ignore: NeverForceUnwrap
    try! FFmpegLibraries.shared().api
}()
