import TorrentModel

/// What the video routes need to know about the file a request names, once the caller has found it.
public struct ServedFile: Sendable, Equatable, Hashable {
    /// The file's length in bytes.
    public var length: Int64
    public var contentType: ContentType
    public var entityTag: EntityTag

    public init(length: Int64, contentType: ContentType, entityTag: EntityTag) {
        self.length = length
        self.contentType = contentType
        self.entityTag = entityTag
    }

    /// The file at `fileIndex` of the torrent `infoHash`: its type from its name, its strong tag from the
    /// infohash, the index and the length. Callers should not serve pad files (`file.isPadding`): they are
    /// not part of the content.
    public init(infoHash: InfoHash, fileIndex: Int, file: TorrentFile) {
        self.init(
            length: file.length, contentType: ContentType(path: file.path),
            entityTag: EntityTag(infoHash: infoHash, fileIndex: fileIndex, length: file.length))
    }
}
