/// Where a node keeps its state: `shoal.sqlite` (the library, completion, totals, peers) and, unless a
/// torrent says otherwise, downloaded content under `downloads/`.
public struct DataDirectory: Sendable, Equatable {
    public let path: String

    public init(path: String) {
        self.path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    public var databasePath: String { path + "/shoal.sqlite" }
    public var downloadsPath: String { path + "/downloads" }

    /// `--data-dir`, else `SHOAL_DATA_DIR`, else `$XDG_DATA_HOME/shoal`, else `~/.local/share/shoal`
    /// (the XDG base directory rules). Throws when none of them can be told (no `HOME`).
    public static func resolve(flag: String?, environment: [String: String]) throws(NodeError) -> DataDirectory {
        if let flag, !flag.isEmpty { return DataDirectory(path: flag) }
        if let override = environment["SHOAL_DATA_DIR"], !override.isEmpty { return DataDirectory(path: override) }
        // XDG: a relative XDG_DATA_HOME is invalid and must be ignored.
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") { return DataDirectory(path: xdg + "/shoal") }
        guard let home = environment["HOME"], home.hasPrefix("/") else { throw .noDataDirectory }
        return DataDirectory(path: home + "/.local/share/shoal")
    }
}
