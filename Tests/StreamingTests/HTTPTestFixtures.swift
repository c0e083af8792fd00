import Streaming
import TorrentModel

/// Values shared by the tests of the HTTP side of `Streaming`.
enum HTTPTestFixtures {
    static let infoHashHex = "0123456789abcdef0123456789abcdef01234567"
    static let infoHash = InfoHash(infoHashHex)!

    /// A 1,000-byte media segment, index 4 of the torrent.
    static let segment = ServedFile(
        length: 1000, contentType: .mp4Video,
        entityTag: EntityTag(infoHash: infoHash, fileIndex: 4, length: 1000))
    static let segmentTag = "\"\(infoHashHex)-4-1000\""

    /// A 120-byte playlist, index 0.
    static let playlist = ServedFile(
        length: 120, contentType: .playlist, entityTag: EntityTag(infoHash: infoHash, fileIndex: 0, length: 120))
    static let playlistTag = "\"\(infoHashHex)-0-120\""

    static let empty = ServedFile(
        length: 0, contentType: .mp4Video, entityTag: EntityTag(infoHash: infoHash, fileIndex: 7, length: 0))
    static let emptyTag = "\"\(infoHashHex)-7-0\""

    static let corsResponse = [
        HeaderField("Access-Control-Allow-Origin", "*"),
        HeaderField("Access-Control-Expose-Headers", "Content-Length, Content-Range, Accept-Ranges, ETag"),
    ]
}
