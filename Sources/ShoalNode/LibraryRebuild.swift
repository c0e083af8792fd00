import Foundation
import StateStore
import TorrentModel

/// `shoal node --rebuild`: moves a damaged database aside and makes a new one from the copies in `torrents/`.
/// Nothing is known to be verified afterwards, so each torrent's data is re-checked when the node starts it.
public enum LibraryRebuild {
    /// What the rebuild did, for the command to print.
    public struct Outcome: Sendable {
        /// Where the old database went (nil when there was none).
        public let movedTo: String?
        public let restoredTorrents: Int
        public let skippedFiles: Int
    }

    public static func run(directory: DataDirectory, now: Date = Date()) throws(NodeError) -> Outcome {
        let database = directory.databasePath
        var movedTo: String?
        if FileManager.default.fileExists(atPath: database) {
            let target = database + ".broken-\(Int(now.timeIntervalSince1970))"
            for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: database + suffix) {
                guard rename(database + suffix, target + suffix) == 0 else {
                    throw .state(
                        .cannotOpen(
                            path: database + suffix,
                            reason: "cannot move it aside: \(String(cString: strerror(errno)))"))
                }
            }
            movedTo = target
        }
        let store: StateStore
        do { store = try StateStore(path: database) } catch { throw .state(error) }
        defer { try? store.close() }
        var restored = 0
        var skipped = 0
        for copy in TorrentFiles(directory: directory).all() {
            guard let metainfo = try? Metainfo(bytes: copy.metainfo) else {
                skipped += 1
                continue
            }
            let record = TorrentRecord(
                infoHash: metainfo.infoHash, metainfo: copy.metainfo, name: metainfo.name,
                savePath: copy.savePath ?? directory.downloadsPath, state: .downloading, addedAt: now)
            do {
                try store.addTorrent(record)
                restored += 1
            } catch {
                skipped += 1
            }
        }
        return Outcome(movedTo: movedTo, restoredTorrents: restored, skippedFiles: skipped)
    }
}
