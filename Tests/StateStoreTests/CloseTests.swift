import StateStore
import Testing

@Suite("Closing the database")
struct CloseTests {
    @Test("calls after close throw closed, naming the file; closing twice is harmless")
    func afterClose() throws {
        let folder = try StoreFolder()
        let store = try folder.open()
        try store.addTorrent(fullRecord(1))
        try store.close()
        try store.close()
        #expect(throws: StateStoreError.closed(path: folder.path)) { try store.allTorrents() }
        #expect(throws: StateStoreError.closed(path: folder.path)) { try store.setSetting("k", "v") }
        #expect(StateStoreError.closed(path: folder.path).description.contains(folder.path))
        // The file itself is intact.
        #expect(try folder.open().allTorrents() == [fullRecord(1)])
    }
}
