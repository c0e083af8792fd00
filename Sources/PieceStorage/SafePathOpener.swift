import Glibc

/// Opens the torrent's folders and files below the save folder without following symbolic links.
///
/// Torrent paths are validated (no `..`, no `/` inside a component), but the save folder may already
/// hold hostile links: `name/segments -> /etc` would send writes anywhere. So every component below
/// the save folder is opened with `openat(…, O_NOFOLLOW)` relative to its parent's descriptor, and
/// a link anywhere on the way is refused. The save folder itself is the user's choice and may be a
/// link. Hard links cannot be told apart from ordinary files and are not guarded against.
struct SafePathOpener: Sendable {
    /// The save folder, without a trailing `/`.
    let saveFolder: String
    let relativePaths: [[String]]

    init(saveFolder: String, relativePaths: [[String]]) {
        var folder = saveFolder
        while folder.count > 1 && folder.hasSuffix("/") { folder.removeLast() }
        self.saveFolder = folder.isEmpty ? "." : folder
        self.relativePaths = relativePaths
    }

    func fullPath(ofFile index: Int) -> String {
        fullPath(relativePaths[index][...])
    }

    private func fullPath(_ components: ArraySlice<String>) -> String {
        (saveFolder == "/" ? "" : saveFolder) + "/" + components.joined(separator: "/")
    }

    /// Creates the save folder and any missing parents, as `mkdir -p` would (links allowed here).
    func createSaveFolder() throws(StorageError) {
        var prefix = saveFolder.hasPrefix("/") ? "" : "."
        for component in saveFolder.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, StorageLimits.folderMode) != 0 && errno != EEXIST {
                throw StorageError(errno: errno, path: prefix, operation: .createFolder)
            }
        }
        var info = stat()
        guard stat(saveFolder, &info) == 0 else {
            throw StorageError(errno: errno, path: saveFolder, operation: .openFolder)
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw .notAFolder(path: saveFolder) }
    }

    /// Opens file `index`. Nil when it (or a folder above it) does not exist and `create` is false.
    /// With `create`, missing folders and the file are made. A file that may only be read is opened
    /// read-only, its `writeError` saying why, so complete data on a read-only disk can be seeded.
    func open(file index: Int, create: Bool) throws(StorageError) -> OpenFile? {
        let components = relativePaths[index]
        guard let parent = try openParent(components, create: create) else { return nil }
        defer { Glibc.close(parent) }
        let name = components[components.count - 1]
        let path = fullPath(components[...])
        let baseFlags = O_NOFOLLOW | O_CLOEXEC
        var writeError: StorageError?
        var descriptor = openat(parent, name, baseFlags | O_RDWR | (create ? O_CREAT : 0), StorageLimits.fileMode)
        if descriptor < 0 {
            let code = errno
            if code == ENOENT && !create { return nil }
            let error = classifyOpenFailure(code, parent: parent, name: name, path: path, create: create)
            guard case .notWritable = error else { throw error }
            descriptor = openat(parent, name, baseFlags | O_RDONLY)
            // Not there at all on a read-only disk: the first error is the one that matters.
            guard descriptor >= 0 else { throw error }
            writeError = error
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let code = errno
            Glibc.close(descriptor)
            throw StorageError(errno: code, path: path, operation: .inspect)
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            Glibc.close(descriptor)
            throw .notAFile(path: path)
        }
        return OpenFile(descriptor: descriptor, path: path, size: Int64(info.st_size), writeError: writeError)
    }

    /// Deletes file `index` if it is there; a link on the way is refused as for opening, and a link in the
    /// file's place is deleted, not followed.
    func delete(file index: Int) throws(StorageError) {
        let components = relativePaths[index]
        guard let parent = try openParent(components, create: false) else { return }
        defer { Glibc.close(parent) }
        if unlinkat(parent, components[components.count - 1], 0) != 0 && errno != ENOENT {
            throw StorageError(errno: errno, path: fullPath(components[...]), operation: .delete)
        }
    }

    /// Removes the folder at `components` below the save folder if it is empty; anything else is left.
    func removeFolderIfEmpty(_ components: [String]) {
        guard !components.isEmpty, let parent = try? openParent(components, create: false) else { return }
        defer { Glibc.close(parent) }
        _ = unlinkat(parent, components[components.count - 1], AT_REMOVEDIR)
    }

    /// Walks the folders above a file; the caller closes the returned descriptor.
    private func openParent(_ components: [String], create: Bool) throws(StorageError) -> Int32? {
        var current = Glibc.open(saveFolder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard current >= 0 else {
            if errno == ENOENT && !create { return nil }
            throw StorageError(errno: errno, path: saveFolder, operation: .openFolder)
        }
        for depth in 0..<(components.count - 1) {
            let name = components[depth]
            let path = fullPath(components[...depth])
            var next = openat(current, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if next < 0 && errno == ENOENT {
                guard create else {
                    Glibc.close(current)
                    return nil
                }
                if mkdirat(current, name, StorageLimits.folderMode) != 0 && errno != EEXIST {
                    let code = errno
                    Glibc.close(current)
                    throw StorageError(errno: code, path: path, operation: .createFolder)
                }
                next = openat(current, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
            if next < 0 {
                let code = errno
                defer { Glibc.close(current) }
                if code == ELOOP || code == ENOTDIR {
                    throw isLink(parent: current, name: name)
                        ? .symbolicLinkRefused(path: path) : .notAFolder(path: path)
                }
                throw StorageError(errno: code, path: path, operation: .openFolder)
            }
            Glibc.close(current)
            current = next
        }
        return current
    }

    private func classifyOpenFailure(
        _ code: Int32, parent: Int32, name: String, path: String, create: Bool
    ) -> StorageError {
        if code == ELOOP || (code == ENOTDIR && isLink(parent: parent, name: name)) {
            return .symbolicLinkRefused(path: path)
        }
        if code == EISDIR || code == ENXIO || code == ENODEV || code == ETXTBSY { return .notAFile(path: path) }
        // Opening for writing is how the store asks; EACCES here means "not writable".
        return StorageError(errno: code, path: path, operation: create ? .createFile : .write)
    }

    private func isLink(parent: Int32, name: String) -> Bool {
        var info = stat()
        return fstatat(parent, name, &info, AT_SYMLINK_NOFOLLOW) == 0 && info.st_mode & S_IFMT == S_IFLNK
    }
}
