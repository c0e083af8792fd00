/// One file of a torrent, where it sits in the torrent's byte stream, and whether it is padding.
public struct TorrentFile: Hashable, Sendable {
    /// Path components below the torrent's folder; for a single-file torrent, just the name.
    public var path: [String]
    public var length: Int64
    /// Byte offset of the file's first byte in the concatenation of all files.
    public var offset: Int64
    /// A BEP 47 pad file (attribute `p`): zeros that align the next file to a piece boundary,
    /// never written to disk.
    public var isPadding: Bool

    public init(path: [String], length: Int64, offset: Int64, isPadding: Bool = false) {
        self.path = path
        self.length = length
        self.offset = offset
        self.isPadding = isPadding
    }

    /// The path joined with `/`.
    public var pathString: String { path.joined(separator: "/") }

    public var byteRange: Range<Int64> { offset..<(offset + length) }
}
