import Foundation
import TestSupport
import Testing
import TorrentModel

/// A video torrent made by `shoal seed VIDEO` is an ordinary torrent to libtorrent: it loads with the same
/// infohash, downloads from Shoal, and the folder libtorrent writes plays in FFmpeg.
@Suite("Video torrents with libtorrent")
struct VideoTorrentInteropTests {
    @Test func libtorrentDownloadsAVideoTorrentFromShoalAndTheFolderPlays() async throws {
        let directory = try TemporaryDirectory()
        let made = directory.url.appendingPathComponent("made").path
        let seed = try BackgroundProcess(
            try ShoalBinary.path(), ["seed", sampleVideoPath, "-o", made, "--port", "0", "--bind", "127.0.0.1", "-q"],
            name: "shoal seed")
        defer { seed.stop() }
        let port = try #require(Int(try await seed.waitForLine(startingWith: "listening on 127.0.0.1:")))
        let torrent = try await seed.waitForLine(startingWith: "torrent: ")

        let shoal = try InteropTools.shoalMetainfo(torrent)
        let view = try await InteropTools.inspect(torrent)
        #expect(view.infoHash == shoal.infoHash.hex)
        #expect(view.files.first?.path == "sample/master.m3u8")
        #expect(view.files.contains { $0.pad })

        let target = directory.url.appendingPathComponent("lt").path
        let result = try await InteropTools.libtorrent([
            "download", torrent, target, "--peer", "127.0.0.1:\(port)", "--timeout", "150",
        ])
        #expect(result.exitCode == 0, "\(result.standardError)")
        for file in shoal.dataFiles {
            let original = try Data(contentsOf: URL(fileURLWithPath: "\(made)/sample/\(file.pathString)"))
            let copy = try Data(contentsOf: URL(fileURLWithPath: "\(target)/sample/\(file.pathString)"))
            #expect(original == copy, "\(file.pathString)")
        }
        let ffmpeg = try ProcessRunner.which("ffmpeg", installHint: "apt-get install ffmpeg")
        let decoded = try await ProcessRunner.run(
            ffmpeg, ["-v", "error", "-i", "\(target)/sample/master.m3u8", "-f", "null", "-"], timeout: 120)
        #expect(decoded.exitCode == 0 && decoded.standardError.isEmpty, "\(decoded.standardError)")
    }
}
