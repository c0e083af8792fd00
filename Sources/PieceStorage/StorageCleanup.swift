import TorrentModel

/// Deleting a torrent's data (`shoal remove --delete-data`).
public enum StorageCleanup {
    /// Deletes the torrent's data files under `saveFolder`, never anything outside it (a symbolic link on the
    /// way is refused, as for reading and writing), then the torrent's folders that are left empty. Files of
    /// the user's in those folders stay, and so do the folders. Returns why each failed file could not go.
    public static func deleteData(of layout: StorageLayout, in saveFolder: String) -> [StorageError] {
        let opener = SafePathOpener(saveFolder: saveFolder, relativePaths: layout.relativePaths)
        var failures: [StorageError] = []
        var folders: Set<[String]> = []
        for index in layout.dataFileIndices {
            do throws(StorageError) {
                try opener.delete(file: index)
            } catch {
                failures.append(error)
            }
            var components = Array(layout.relativePaths[index].dropLast())
            while !components.isEmpty {
                folders.insert(components)
                components.removeLast()
            }
        }
        // Deepest first, so a folder is empty by the time it is tried.
        for folder in folders.sorted(by: { $0.count > $1.count }) { opener.removeFolderIfEmpty(folder) }
        return failures
    }
}
