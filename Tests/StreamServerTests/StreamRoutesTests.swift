import Foundation
import Streaming
import TestSupport
import Testing

/// The HTTP side of the routes on a watcher that has the whole video: ranges, conditional requests, CORS, errors,
/// the player page and the figures.
@Suite("Stream routes", .serialized)
struct StreamRoutesTests {
    /// A watcher that downloaded everything from an uncapped seed.
    static func completeSwarm() async throws -> StreamingSwarm {
        let swarm = try await StreamingSwarm()
        let done = Task { await swarm.watcherSession.waitUntilComplete() }
        await done.value
        return swarm
    }

    @Test func filesRangesAndConditionalRequests() async throws {
        let swarm = try await Self.completeSwarm()
        defer { Task { await swarm.stop() } }
        let base = "\(swarm.baseURL)/v/\(swarm.infoHash)"
        let original = try Data(contentsOf: URL(fileURLWithPath: "\(swarm.ingest.folderPath)/segment-00001.m4s"))

        let whole = try await HTTPFetcher.fetch("\(base)/segment-00001.m4s")
        #expect(whole.status == 200)
        #expect(Data(whole.body) == original)
        #expect(whole.header("Content-Type") == "video/mp4")
        #expect(whole.header("Access-Control-Allow-Origin") == "*")
        let tag = try #require(whole.header("ETag"))

        let part = try await HTTPFetcher.fetch("\(base)/segment-00001.m4s", headers: [("Range", "bytes=100-199")])
        #expect(part.status == 206)
        #expect(Data(part.body) == original[100..<200])
        #expect(part.header("Content-Range") == "bytes 100-199/\(original.count)")

        let outside = try await HTTPFetcher.fetch(
            "\(base)/segment-00001.m4s", headers: [("Range", "bytes=\(original.count + 10)-")])
        #expect(outside.status == 416)

        let cached = try await HTTPFetcher.fetch("\(base)/segment-00001.m4s", headers: [("If-None-Match", tag)])
        #expect(cached.status == 304)
        #expect(cached.body.isEmpty)

        let head = try await HTTPFetcher.fetch("\(base)/segment-00001.m4s", method: .HEAD)
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == String(original.count))
        #expect(head.body.isEmpty)

        let playlist = try await HTTPFetcher.fetch("\(base)/master.m3u8")
        #expect(playlist.status == 200)
        #expect(playlist.header("Content-Type") == "application/vnd.apple.mpegurl")
        #expect(playlist.header("Cache-Control")?.contains("no-cache") == true)
    }

    @Test func errorsAreCleanAndOneLine() async throws {
        let swarm = try await Self.completeSwarm()
        defer { Task { await swarm.stop() } }
        let unknown = String(repeating: "ab", count: 20)
        let cases: [(path: String, status: Int)] = [
            ("/v/\(unknown)/master.m3u8", 404),
            ("/v/\(swarm.infoHash)/nothing-here.m4s", 404),
            ("/v/\(swarm.infoHash)/../etc/passwd", 400),
            ("/v/\(swarm.infoHash)/%2e%2e/x", 400),
            ("/v/not-an-infohash/master.m3u8", 400),
            ("/watch/\(unknown)", 404),
        ]
        for (path, status) in cases {
            let answer = try await HTTPFetcher.fetch("\(swarm.baseURL)\(path)")
            #expect(answer.status == status, "\(path): \(answer.status) \(answer.text)")
            #expect(answer.text.split(separator: "\n").count <= 1, "\(path): \(answer.text)")
        }
        let post = try await HTTPFetcher.fetch("\(swarm.baseURL)/v/\(swarm.infoHash)/master.m3u8", method: .POST)
        #expect(post.status == 405)
        #expect(post.header("Allow") == "GET, HEAD, OPTIONS")
        let preflight = try await HTTPFetcher.fetch(
            "\(swarm.baseURL)/v/\(swarm.infoHash)/master.m3u8", method: .OPTIONS,
            headers: [("Origin", "https://player.example"), ("Access-Control-Request-Method", "GET")])
        #expect(preflight.status == 204)
        #expect(preflight.header("Access-Control-Allow-Origin") == "*")
    }

    @Test func thePlayerPageAndTheFigures() async throws {
        let swarm = try await Self.completeSwarm()
        defer { Task { await swarm.stop() } }
        let page = try await HTTPFetcher.fetch("\(swarm.baseURL)/watch/\(swarm.infoHash)")
        #expect(page.status == 200)
        #expect(page.header("Content-Type") == "text/html; charset=utf-8")
        #expect(page.text.contains("<video"))
        #expect(page.text.contains("\"/v/\" + infoHash + \"/master.m3u8\""))
        #expect(page.text.contains("const infoHash = \"\(swarm.infoHash)\""))

        _ = try await VirtualPlayer(masterURL: "\(swarm.baseURL)/v/\(swarm.infoHash)/master.m3u8").play(
            segmentLimit: 2)
        let figures = try await HTTPFetcher.fetch("\(swarm.baseURL)/api/torrents/\(swarm.infoHash)")
        #expect(figures.status == 200)
        let status = try JSONDecoder().decode(StreamStatus.self, from: Data(figures.body))
        #expect(status.infoHash == swarm.infoHash)
        #expect(status.verifiedPieces == swarm.metainfo.pieceCount)
        #expect(status.pieceMap == String(repeating: "h", count: swarm.metainfo.pieceCount))
        #expect(status.quality.segmentsServed == 2)
        #expect(status.quality.startupSeconds != nil)
        // Whole pieces travel, pad bytes included.
        #expect(status.bytesFromSeeds == swarm.metainfo.totalLength)
        #expect(status.bytesFromPeers == 0)
        #expect(status.playback != nil)

        let foreign = try await HTTPFetcher.fetch(
            "\(swarm.baseURL)/api/torrents/\(swarm.infoHash)", headers: [("Host", "evil.example")])
        #expect(foreign.status == 403)
    }
}
