import CFFmpeg

#if canImport(Glibc)
    import Glibc
#endif

/// The FFmpeg shared libraries, opened on first use.
///
/// Shoal compiles against the FFmpeg headers (through `CFFmpeg` and pkg-config) but opens
/// `libavutil`, `libavcodec` and `libavformat` with `dlopen` the first time a command needs them,
/// by the soname that matches the headers' major version. Linking them instead would load about
/// 150 shared objects into every `shoal` process, which costs ~60 ms of start-up even for
/// `shoal create`. Functions are looked up once with `dlsym` and called through typed pointers.
public struct FFmpegLibraries: Sendable {
    /// Why the libraries could not be opened; the message names the file and the package to install.
    public struct LoadError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    typealias VersionFunction = @convention(c) () -> UInt32

    let avutilVersion: VersionFunction
    let avcodecVersion: VersionFunction
    let avformatVersion: VersionFunction

    /// The sonames this build opens, e.g. `libavformat.so.59`.
    public static let sonames = (
        avutil: "libavutil.so.\(shoal_avutil_major)",
        avcodec: "libavcodec.so.\(shoal_avcodec_major)",
        avformat: "libavformat.so.\(shoal_avformat_major)"
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
        return FFmpegLibraries(
            avutilVersion: try symbol("avutil_version", in: avutil, library: sonames.avutil),
            avcodecVersion: try symbol("avcodec_version", in: avcodec, library: sonames.avcodec),
            avformatVersion: try symbol("avformat_version", in: avformat, library: sonames.avformat)
        )
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

    private static func symbol<Function>(
        _ name: String, in handle: UnsafeMutableRawPointer, library: String
    ) throws(LoadError) -> Function {
        guard let address = dlsym(handle, name) else {
            throw LoadError(description: "FFmpeg library \(library) has no function \(name)")
        }
        return unsafeBitCast(address, to: Function.self)
    }
}
