import Glibc
import Logging
import PieceStorage
import TorrentModel

/// What a node does with a torrent's files on disk outside the swarm: decide at start whether they must
/// be re-checked, and delete them on `remove --delete-data`.
enum DataFiles {
    enum Check: Equatable {
        /// The saved completion can be trusted as it is.
        case trusted
        /// Hash the data and believe only that.
        case recheck
    }

    /// A restored completion is trusted unless a data file that should hold verified pieces is missing or has
    /// the wrong length (deleted or truncated while the node was stopped). Without a restored completion the
    /// data is checked if any of it is there (a torrent added over existing files, or a lost database row).
    static func check(_ store: FileStorage, restored: Bool, verified: Bitfield) -> Check {
        let layout = store.layout
        let fileMap = layout.fileMap
        for index in layout.dataFileIndices {
            let expected = layout.files[index].length
            let size = fileSize(store.diskPath(ofFile: index))
            if restored {
                let holdsVerified = fileMap.pieces(ofFile: index, in: layout.geometry).contains { verified[$0] }
                if holdsVerified && size != expected { return .recheck }
            } else if let size, size > 0 {
                return .recheck
            }
        }
        return .trusted
    }

    /// Deletes the torrent's files under `saveFolder` and the folders left empty; failures are logged.
    static func delete(of metainfo: Metainfo, in saveFolder: String, logger: Logger) {
        for failure in StorageCleanup.deleteData(of: StorageLayout(metainfo: metainfo), in: saveFolder) {
            logger.warning("\(failure)")
        }
    }

    /// The file's length, nil when it does not exist.
    private static func fileSize(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int64(info.st_size)
    }
}
