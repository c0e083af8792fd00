/// The order and placement of files in a new torrent: sorted paths and, optionally, BEP 47 pad files.
public enum TorrentLayout {
    /// A file found on disk, before placement.
    public struct Source: Hashable, Sendable {
        public var path: [String]
        public var length: Int64

        public init(path: [String], length: Int64) {
            self.path = path
            self.length = length
        }
    }

    /// Sorts files by path, component by component, comparing the UTF-8 bytes of each component.
    /// This order is part of Shoal's determinism promise: it does not depend on the file system,
    /// the locale or the order a directory listing happens to return.
    public static func sorted(_ sources: [Source]) -> [Source] {
        sources.sorted { lhs, rhs in
            // Bytes, not String equality: Swift treats "é" and "e\u{301}" as equal, file systems do not.
            for (left, right) in zip(lhs.path, rhs.path) where !left.utf8.elementsEqual(right.utf8) {
                return left.utf8.lexicographicallyPrecedes(right.utf8)
            }
            return lhs.path.count < rhs.path.count
        }
    }

    /// Places files one after another in the given order. With `alignToPieces`, a pad file
    /// (`.pad/<length>`, attribute `p`) follows every file that does not end on a piece boundary
    /// when a file with data comes after it, so each such file starts a piece of its own. The torrent
    /// never ends in padding.
    public static func place(_ sources: [Source], pieceLength: Int, alignToPieces: Bool) -> [TorrentFile] {
        place(groups: alignToPieces ? sources.map { [$0] } : [sources], pieceLength: pieceLength)
    }

    /// Places groups of files in the given order: the files of a group one after another, and each group
    /// on a piece boundary of its own, with a pad file before it when the group before does not end on
    /// one (only when a group with data comes after). A video torrent keeps its playlists together in one
    /// group and gives every segment its own.
    public static func place(groups: [[Source]], pieceLength: Int) -> [TorrentFile] {
        var files: [TorrentFile] = []
        var offset: Int64 = 0
        let lastWithData = groups.lastIndex { $0.contains { $0.length > 0 } } ?? -1
        for (index, group) in groups.enumerated() {
            for source in group {
                files.append(TorrentFile(path: source.path, length: source.length, offset: offset))
                offset += source.length
            }
            let remainder = offset % Int64(pieceLength)
            if remainder != 0 && index < lastWithData {
                let padding = Int64(pieceLength) - remainder
                files.append(
                    TorrentFile(path: [".pad", String(padding)], length: padding, offset: offset, isPadding: true))
                offset += padding
            }
        }
        return files
    }
}
