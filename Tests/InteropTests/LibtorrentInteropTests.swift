import Foundation
import TestSupport
import Testing
import TorrentModel

/// Torrents travel both ways between Shoal and libtorrent (python3-libtorrent 2.0) with the same infohash.
@Suite("Interop with libtorrent")
struct LibtorrentInteropTests {
    @Test(
        "A torrent made by shoal create loads in libtorrent with the same infohash and files",
        arguments: [
            [],
            ["--align"],
            ["--private", "--tracker", "http://127.0.0.1:6969/announce", "--tracker", "udp://127.0.0.1:6969"],
            ["--piece-length", "16K", "--webseed", "http://127.0.0.1:8080/"],
        ])
    func shoalTorrentLoadsInLibtorrent(options: [String]) async throws {
        let directory = try TemporaryDirectory()
        let folder = try makeSampleFolder(in: directory)
        let torrent = directory.url.appendingPathComponent("out.torrent").path
        let created = try await ShoalBinary.run(["create", folder, "-o", torrent, "-q"] + options)
        #expect(created.exitCode == 0, "\(created.standardError)")

        let shoal = try InteropTools.shoalMetainfo(torrent)
        let libtorrent = try await InteropTools.inspect(torrent)
        #expect(libtorrent.infoHash == shoal.infoHash.hex)
        #expect(created.standardOutput.contains("infohash: \(libtorrent.infoHash)"))
        #expect(libtorrent.name == "content")
        #expect(libtorrent.pieceLength == shoal.pieceLength)
        #expect(libtorrent.pieceCount == shoal.pieceCount)
        #expect(libtorrent.totalSize == shoal.totalLength)
        #expect(libtorrent.private == options.contains("--private"))
        #expect(InteropTools.dataFiles(of: libtorrent) == InteropTools.dataFiles(of: shoal))
        #expect(InteropTools.dataFiles(of: shoal).count == 5)
        if options.contains("--align") {
            #expect(libtorrent.files.contains { $0.pad })
            // Every data file starts on a piece boundary.
            for file in shoal.files where !file.isPadding && file.length > 0 {
                #expect(file.offset % Int64(shoal.pieceLength) == 0)
            }
        }
        if options.contains("--tracker") {
            #expect(libtorrent.trackers == ["http://127.0.0.1:6969/announce", "udp://127.0.0.1:6969"])
        }
    }

    @Test("The sample video's torrent loads in libtorrent")
    func sampleVideoTorrent() async throws {
        let directory = try TemporaryDirectory()
        let torrent = directory.url.appendingPathComponent("sample.torrent").path
        let created = try await ShoalBinary.run(["create", sampleVideoPath, "-o", torrent, "-q"])
        #expect(created.exitCode == 0, "\(created.standardError)")
        let libtorrent = try await InteropTools.inspect(torrent)
        let shoal = try InteropTools.shoalMetainfo(torrent)
        #expect(libtorrent.infoHash == shoal.infoHash.hex)
        #expect(libtorrent.files.map(\.path) == ["sample.mp4"])
        #expect(libtorrent.totalSize == shoal.totalLength)
    }

    @Test(
        "A torrent made by libtorrent loads in Shoal with the same infohash",
        arguments: [["--v1-only"], []])
    func libtorrentTorrentLoadsInShoal(flags: [String]) async throws {
        let directory = try TemporaryDirectory()
        let folder = try makeSampleFolder(in: directory)
        let torrent = directory.url.appendingPathComponent("lt.torrent").path
        let made = try await InteropTools.libtorrent(
            ["create", folder, torrent, "--piece-length", "32768", "--tracker", "http://127.0.0.1:1/announce"] + flags)
        #expect(made.exitCode == 0, "\(made.standardError)")
        let reportedHash = made.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)

        let shoal = try InteropTools.shoalMetainfo(torrent)
        let libtorrent = try await InteropTools.inspect(torrent)
        #expect(shoal.infoHash.hex == reportedHash)
        #expect(shoal.infoHash.hex == libtorrent.infoHash)
        #expect(shoal.pieceCount == libtorrent.pieceCount)
        #expect(shoal.totalLength == libtorrent.totalSize)
        #expect(InteropTools.dataFiles(of: shoal) == InteropTools.dataFiles(of: libtorrent))
        #expect(shoal.files.filter(\.isPadding).count == libtorrent.files.filter(\.pad).count)
        #expect(shoal.trackers == ["http://127.0.0.1:1/announce"])

        // The CLI reads it too.
        let info = try await ShoalBinary.run(["info", torrent, "--json"])
        #expect(info.exitCode == 0)
        #expect(info.standardOutput.contains("\"infoHash\" : \"\(reportedHash)\""))
    }
}
