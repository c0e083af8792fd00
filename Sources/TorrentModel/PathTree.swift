/// Detects two files of a torrent that would land on the same path, or a file that would have to be
/// a folder for another file (`a` and `a/b`): either would let one file overwrite another.
struct PathTree {
    private var files: Set<[String]> = []
    private var folders: Set<[String]> = []

    mutating func insert(_ path: [String]) throws(MetainfoError) {
        if files.contains(path) || folders.contains(path) {
            throw .unsafePath("'\(path.joined(separator: "/"))' appears twice")
        }
        for depth in 1..<path.count {
            let prefix = Array(path[..<depth])
            if files.contains(prefix) {
                throw .unsafePath("'\(prefix.joined(separator: "/"))' is both a file and a folder")
            }
            folders.insert(prefix)
        }
        files.insert(path)
    }
}
