import StateStore
import Testing

@Suite("Settings")
struct SettingTests {
    @Test("set, replace, remove, and survive reopening")
    func roundTrip() throws {
        let folder = try StoreFolder()
        do {
            let store = try folder.open()
            #expect(try store.setting("listen.port") == nil)
            try store.setSetting("listen.port", "6881")
            try store.setSetting("listen.port", "51413")
            try store.setSetting("download.folder", "/srv/video ünïcode")
            try store.setSetting("gone", "soon")
            try store.setSetting("gone", nil)
            try store.setSetting("never.set", nil)
            try store.close()
        }
        let store = try folder.open()
        #expect(try store.setting("listen.port") == "51413")
        #expect(try store.setting("download.folder") == "/srv/video ünïcode")
        #expect(try store.setting("gone") == nil)
        #expect(try store.setting("never.set") == nil)
    }
}
