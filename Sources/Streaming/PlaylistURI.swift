/// Resolving a playlist's URIs to torrent paths. Only plain relative paths are accepted: the files a
/// playlist names must be files of the same torrent, and a URI that could leave its folder is refused.
enum PlaylistURI {
    /// `uri` relative to the folder `folder` (path components), joined with `/`. Percent-escapes are not
    /// decoded: Shoal's seeder writes plain names, and comparing bytes cannot name an unexpected file.
    static func resolve(_ uri: String, in folder: [String]) throws(VideoTorrentIndexError) -> String {
        guard !uri.isEmpty else { throw .unsafeURI(uri, reason: "it is empty") }
        guard !uri.hasPrefix("/") else { throw .unsafeURI(uri, reason: "it is absolute") }
        guard !uri.contains("?"), !uri.contains("#") else {
            throw .unsafeURI(uri, reason: "it has a query or fragment")
        }
        let components = uri.split(separator: "/", omittingEmptySubsequences: false)
        // A colon in the first component is a scheme ("http:", "file:"): RFC 3986 §4.2.
        guard !components[0].contains(":") else { throw .unsafeURI(uri, reason: "it is absolute") }
        for component in components {
            switch component {
            case "..": throw .unsafeURI(uri, reason: "it leaves its folder ('..')")
            case ".", "": throw .unsafeURI(uri, reason: "it is not a plain relative path")
            default: continue
            }
        }
        return (folder + components.map(String.init)).joined(separator: "/")
    }
}
