/// Checks that a path from a torrent cannot escape the download folder or confuse the file system.
public enum PathValidator {
    /// Throws when `component` is empty, `.` or `..`, holds `/` or NUL, or is longer than a file
    /// system allows. Everything else, including any Unicode, is a legal name.
    public static func validate(component: String) throws(MetainfoError) {
        if component.isEmpty { throw .unsafePath("empty path component") }
        if component == "." || component == ".." { throw .unsafePath("'\(component)' in path") }
        if component.utf8.contains(UInt8(ascii: "/")) { throw .unsafePath("'/' inside a path component") }
        if component.utf8.contains(0) { throw .unsafePath("NUL byte in a path component") }
        if component.utf8.count > TorrentLimits.maximumPathComponentLength {
            throw .unsafePath("path component longer than \(TorrentLimits.maximumPathComponentLength) bytes")
        }
    }

    public static func validate(path: [String]) throws(MetainfoError) {
        if path.isEmpty { throw .unsafePath("empty path") }
        if path.count > TorrentLimits.maximumPathDepth {
            throw .unsafePath("more than \(TorrentLimits.maximumPathDepth) path components")
        }
        for component in path { try validate(component: component) }
    }
}
