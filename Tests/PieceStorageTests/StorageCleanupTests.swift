import Foundation
import Glibc
import PieceStorage
import TestSupport
import Testing
import TorrentModel

@Suite struct StorageCleanupTests {
    @Test func deletesTheTorrentsFilesAndItsEmptyFoldersOnly() async throws {
        let fixture = try videoFixture()
        let folder = try TemporaryDirectory()
        let store = makeFileStorage(fixture, in: folder)
        try await store.prepare()
        try await store.close()
        // Something of the user's beside the torrent's folder, and inside it.
        try folder.write(Data("keep".utf8), to: "notes.txt")
        try folder.write(Data("mine".utf8), to: "show/mine.txt")

        let failures = StorageCleanup.deleteData(of: StorageLayout(metainfo: fixture.metainfo), in: folder.path)
        #expect(failures.isEmpty)
        for index in StorageLayout(metainfo: fixture.metainfo).dataFileIndices {
            #expect(fileStatus(store.diskPath(ofFile: index)) == nil)
        }
        #expect(fileStatus(folder.path + "/show/seg") == nil)  // emptied, so removed
        #expect(diskContents(folder.path + "/show/mine.txt") == Array("mine".utf8))
        #expect(diskContents(folder.path + "/notes.txt") == Array("keep".utf8))
    }

    @Test func neverFollowsALinkOutOfTheSaveFolder() async throws {
        let fixture = try videoFixture()
        let folder = try TemporaryDirectory()
        let outside = try TemporaryDirectory()
        // `show/seg` points elsewhere: deleting `show/seg/000.m4s` must not delete the file over there.
        try folder.write(Data(), to: "show/master.m3u8")
        try outside.write(Data("precious".utf8), to: "000.m4s")
        #expect(symlink(outside.path, folder.path + "/show/seg") == 0)

        let failures = StorageCleanup.deleteData(of: StorageLayout(metainfo: fixture.metainfo), in: folder.path)
        #expect(failures.contains(.symbolicLinkRefused(path: folder.path + "/show/seg")))
        #expect(diskContents(outside.path + "/000.m4s") == Array("precious".utf8))
        #expect(fileStatus(folder.path + "/show/master.m3u8") == nil)
    }
}
