import Foundation
import TorrentModel

/// A copy of every torrent of the library, `torrents/<infohash>.torrent`, with its save folder beside it in
/// `<infohash>.savepath`: what `shoal node --rebuild` re-creates a damaged database from (transmission-daemon
/// keeps the same kind of copies).
struct TorrentFiles: Sendable {
    let folder: String

    init(directory: DataDirectory) {
        folder = directory.path + "/torrents"
    }

    func save(_ metainfo: [UInt8], savePath: String, for infoHash: InfoHash) throws(NodeError) {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data(metainfo).write(to: URL(fileURLWithPath: torrentPath(infoHash)), options: .atomic)
            try Data(savePath.utf8).write(to: URL(fileURLWithPath: savePathPath(infoHash)), options: .atomic)
        } catch {
            throw .invalidTorrent("cannot keep a copy of \(infoHash.hex) in \(folder): \(error.localizedDescription)")
        }
    }

    func delete(_ infoHash: InfoHash) {
        try? FileManager.default.removeItem(atPath: torrentPath(infoHash))
        try? FileManager.default.removeItem(atPath: savePathPath(infoHash))
    }

    /// Every copy there is: the torrent's bytes and its save folder (nil if that file is missing).
    func all() -> [(metainfo: [UInt8], savePath: String?)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".torrent") }.sorted().compactMap { name in
            let base = folder + "/" + name.dropLast(".torrent".count)
            guard let bytes = FileManager.default.contents(atPath: base + ".torrent") else { return nil }
            let savePath = FileManager.default.contents(atPath: base + ".savepath").flatMap {
                String(data: $0, encoding: .utf8)
            }
            return ([UInt8](bytes), savePath)
        }
    }

    private func torrentPath(_ infoHash: InfoHash) -> String { folder + "/" + infoHash.hex + ".torrent" }
    private func savePathPath(_ infoHash: InfoHash) -> String { folder + "/" + infoHash.hex + ".savepath" }
}
