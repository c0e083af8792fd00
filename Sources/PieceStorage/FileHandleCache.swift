import Synchronization

/// The descriptors a `FileStorage` keeps open, at most `capacity`, the least recently used closed
/// first. Also remembers which files were written since the last flush.
final class FileHandleCache: Sendable {
    private struct Entry {
        var file: OpenFile
        var lastUse: UInt64
    }

    private struct State {
        var entries: [Int: Entry] = [:]
        var clock: UInt64 = 0
        var dirty: Set<Int> = []
    }

    private let state = Mutex(State())
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// The cached descriptor of file `index` if it allows `writable` use, else one from `open`.
    func file(
        _ index: Int, writable: Bool, open: () throws(StorageError) -> OpenFile?
    ) throws(StorageError) -> OpenFile? {
        let cached = state.withLock { state -> OpenFile? in
            guard var entry = state.entries[index], entry.file.isWritable || !writable else { return nil }
            state.clock += 1
            entry.lastUse = state.clock
            state.entries[index] = entry
            return entry.file
        }
        if let cached { return cached }
        // Opened outside the lock: `open` walks folders and may wait on the disk.
        guard let opened = try open() else { return nil }
        insert(opened, for: index)
        return opened
    }

    func insert(_ file: OpenFile, for index: Int) {
        let evicted = state.withLock { state -> [OpenFile] in
            state.clock += 1
            let replaced = state.entries.updateValue(Entry(file: file, lastUse: state.clock), forKey: index)
            var evicted = replaced.map { [$0.file] } ?? []
            while state.entries.count > capacity,
                let oldest = state.entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key,
                let entry = state.entries.removeValue(forKey: oldest)
            {
                evicted.append(entry.file)
            }
            return evicted
        }
        // Released outside the lock; each descriptor closes when its last reader lets go of it.
        withExtendedLifetime(evicted) {}
    }

    /// Forgets file `index`, e.g. after it changed on disk, so the next use opens it afresh.
    func remove(_ index: Int) {
        let removed = state.withLock { $0.entries.removeValue(forKey: index) }
        withExtendedLifetime(removed) {}
    }

    func removeAll() {
        let removed = state.withLock { state in
            defer { state.entries = [:] }
            return state.entries
        }
        withExtendedLifetime(removed) {}
    }

    var openCount: Int { state.withLock { $0.entries.count } }

    func markDirty(_ index: Int) {
        state.withLock { _ = $0.dirty.insert(index) }
    }

    /// The files written since the last call, forgotten here.
    func takeDirty() -> [Int] {
        state.withLock { state in
            defer { state.dirty = [] }
            return state.dirty.sorted()
        }
    }

    func restoreDirty(_ indices: some Sequence<Int>) {
        state.withLock { $0.dirty.formUnion(indices) }
    }
}
