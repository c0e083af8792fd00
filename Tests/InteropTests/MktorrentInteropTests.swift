import Foundation
import TestSupport
import Testing
import TorrentModel

/// Torrents made by mktorrent load in Shoal with the infohash libtorrent computes for them, and
/// Shoal makes the very same `info` from the same content and piece length.
@Suite("Interop with mktorrent")
struct MktorrentInteropTests {
    @Test("A multi-file torrent by mktorrent loads in Shoal; shoal create gives the same infohash")
    func multiFile() async throws {
        let directory = try TemporaryDirectory()
        let folder = try makeSampleFolder(in: directory)
        let torrent = directory.url.appendingPathComponent("mk.torrent").path
        _ = try await InteropTools.mktorrent(["-a", "http://127.0.0.1:1/announce", "-l", "15", "-o", torrent, folder])

        let shoal = try InteropTools.shoalMetainfo(torrent)
        let libtorrent = try await InteropTools.inspect(torrent)
        #expect(shoal.infoHash.hex == libtorrent.infoHash)
        #expect(shoal.pieceLength == 32768)
        #expect(InteropTools.dataFiles(of: shoal) == InteropTools.dataFiles(of: libtorrent))
        #expect(shoal.trackers == ["http://127.0.0.1:1/announce"])

        let ours = directory.url.appendingPathComponent("shoal.torrent").path
        let created = try await ShoalBinary.run(["create", folder, "-o", ours, "--piece-length", "32768", "-q"])
        #expect(created.exitCode == 0, "\(created.standardError)")
        #expect(try InteropTools.shoalMetainfo(ours).infoHash == shoal.infoHash)
    }

    @Test("A single-file torrent by mktorrent loads in Shoal with the same infohash")
    func singleFile() async throws {
        let directory = try TemporaryDirectory()
        let torrent = directory.url.appendingPathComponent("mk.torrent").path
        _ = try await InteropTools.mktorrent([
            "-a", "http://127.0.0.1:1/announce", "-l", "16", "-p", "-o", torrent, sampleVideoPath,
        ])

        let shoal = try InteropTools.shoalMetainfo(torrent)
        let libtorrent = try await InteropTools.inspect(torrent)
        #expect(shoal.infoHash.hex == libtorrent.infoHash)
        #expect(shoal.isPrivate)
        #expect(!shoal.isMultiFile)
        #expect(shoal.files.map(\.path) == [["sample.mp4"]])

        let ours = directory.url.appendingPathComponent("shoal.torrent").path
        let created = try await ShoalBinary.run([
            "create", sampleVideoPath, "-o", ours, "--piece-length", "64K", "--private", "-q",
        ])
        #expect(created.exitCode == 0, "\(created.standardError)")
        #expect(try InteropTools.shoalMetainfo(ours).infoHash == shoal.infoHash)
    }
}
