import Glibc
import TorrentModel

/// What a torrent will be made of: one file, or the regular files below a folder.
public struct ScannedContent: Sendable {
    /// The torrent's name: the file's or the folder's last path component.
    public var name: String
    public var isMultiFile: Bool
    /// Files sorted in Shoal's documented order (`TorrentLayout.sorted`).
    public var sources: [TorrentLayout.Source]
    /// Where the data lives: the file itself, or the folder the paths are relative to.
    public var rootPath: String

    public var totalLength: Int64 { sources.reduce(0) { $0 + $1.length } }

    /// The on-disk path of a source.
    public func diskPath(of path: [String]) -> String {
        isMultiFile ? ([rootPath] + path).joined(separator: "/") : rootPath
    }
}

/// Walks a file or folder. Symbolic links to files are followed (their target's bytes go in the
/// torrent, as with mktorrent); links to folders are not, so a link cycle cannot trap the walk.
/// Sockets, devices and FIFOs are left out.
public enum ContentScanner {
    public static func scan(path: String) throws(CreationError) -> ScannedContent {
        var trimmed = path
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        var info = stat()
        guard stat(trimmed, &info) == 0 else {
            if errno == ENOENT { throw .notFound(path) }
            throw .unreadable(path, reason: String(cString: strerror(errno)))
        }
        let name = try torrentName(for: trimmed)
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            return ScannedContent(
                name: name, isMultiFile: false, sources: [.init(path: [name], length: Int64(info.st_size))],
                rootPath: trimmed)
        case S_IFDIR:
            var sources: [TorrentLayout.Source] = []
            try walk(folder: trimmed, relative: [], into: &sources)
            guard !sources.isEmpty else { throw .noFiles(path) }
            return ScannedContent(
                name: name, isMultiFile: true, sources: TorrentLayout.sorted(sources), rootPath: trimmed)
        default:
            throw .notAFileOrFolder(path)
        }
    }

    /// The last component of the path as given (a link keeps its own name, as with mktorrent);
    /// for `.` or `..`, the last component of the absolute path.
    private static func torrentName(for path: String) throws(CreationError) -> String {
        var name = path.split(separator: "/").last.map(String.init) ?? ""
        if name == "." || name == ".." {
            guard let resolved = realpath(path, nil) else {
                throw .unreadable(path, reason: String(cString: strerror(errno)))
            }
            defer { free(resolved) }
            name = String(cString: resolved).split(separator: "/").last.map(String.init) ?? ""
        }
        do {
            try PathValidator.validate(component: name)
        } catch {
            throw .badName(path, reason: "the torrent needs a name, and '/' has none")
        }
        return name
    }

    private static func walk(
        folder: String, relative: [String], into sources: inout [TorrentLayout.Source]
    )
        throws(CreationError)
    {
        guard relative.count < TorrentLimits.maximumPathDepth else {
            throw .tooLarge("\(folder) is nested more than \(TorrentLimits.maximumPathDepth) folders deep")
        }
        guard let directory = opendir(folder) else {
            throw .unreadable(folder, reason: String(cString: strerror(errno)))
        }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let nameBytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix { $0 != 0 })
            }
            guard let name = String(validating: nameBytes, as: UTF8.self) else {
                let shown = String(decoding: nameBytes, as: UTF8.self)
                throw .badName(folder + "/" + shown, reason: "the name is not valid UTF-8")
            }
            if name == "." || name == ".." { continue }
            let fullPath = folder + "/" + name
            let path = relative + [name]
            var linkInfo = stat()
            guard lstat(fullPath, &linkInfo) == 0 else {
                throw .unreadable(fullPath, reason: String(cString: strerror(errno)))
            }
            let kind = linkInfo.st_mode & S_IFMT
            if kind == S_IFDIR {
                try walk(folder: fullPath, relative: path, into: &sources)
                continue
            }
            var info = linkInfo
            if kind == S_IFLNK {
                // A dangling link or a link to a folder is left out.
                guard stat(fullPath, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            } else if kind != S_IFREG {
                continue
            }
            do {
                try PathValidator.validate(path: path)
            } catch {
                throw .badName(fullPath, reason: error.description)
            }
            guard sources.count < TorrentLimits.maximumFileCount else {
                throw .tooLarge("more than \(TorrentLimits.maximumFileCount) files")
            }
            sources.append(.init(path: path, length: Int64(info.st_size)))
        }
    }
}
