import Foundation
import Streaming
import StreamingEngine
import Swarm
import TestSupport
import Testing

/// A watcher streaming the sample through the HTTP routes from an in-process seed, as a player would.
@Suite("Streaming playback", .serialized)
struct StreamingPlaybackTests {
    @Test func aPlayerAtRealTimeNeverStallsWithTheSeedCappedAtTwiceTheBitrate() async throws {
        let swarm = try await StreamingSwarm(seedRate: { 2 * $0 })
        let report: VirtualPlayer.Report
        do {
            report = try await VirtualPlayer(masterURL: "\(swarm.baseURL)/v/\(swarm.infoHash)/master.m3u8").play()
        } catch {
            await swarm.stop()
            throw error
        }
        let status = await swarm.streamer.status()
        await swarm.stop()
        #expect(report.stalls == 0, "\(report)")
        #expect(report.segments == status.playback.map { _ in report.segments })
        #expect(status.quality.stalls == 0, "server saw stalls: \(status.quality)")
        #expect(status.quality.startupSeconds != nil)
        #expect(status.quality.segmentsServed >= report.segments)
        // The head is due at once, so startup always misses; the count while playing leaves startup out.
        #expect(status.quality.deadlineMisses > 0)
        #expect(status.quality.deadlineMissesWhilePlaying < status.quality.deadlineMisses)
        #expect(status.isVideo)
    }

    @Test func aNewWatcherFetchesTheHeadThenTheOpeningSegmentsAndNothingElse() async throws {
        // Nobody asks for anything yet: the watcher itself starts with the head, and once the media playlist says
        // where the segments are, with the first ones. Before, pieces picked at random while the playlist was
        // being verified filled the seed's queue ahead of the first segment.
        let swarm = try await StreamingSwarm(seedRate: { $0 })
        defer { Task { await swarm.stop() } }
        let session = swarm.watcherSession
        let streamer = swarm.streamer
        try await eventually("the media playlist", timeout: .seconds(60)) { await streamer.videoIndex != nil }
        let index = try #require(await swarm.streamer.videoIndex)
        let opening = Set(index.headPieces).union(index.segments.prefix(3).flatMap { Array($0.pieces) })
        let enough = Set(index.headPieces).union(index.segments[0].pieces).count
        try await eventually("the first segment", timeout: .seconds(60)) { await session.verifiedPieceCount >= enough }
        let have = await session.have
        let verified = (0..<have.count).filter { have[$0] }
        #expect(verified.count >= enough)
        #expect(verified.allSatisfy(opening.contains), "pieces outside the opening segments: \(verified)")
    }

    @Test func theFirstSegmentGoesOutOnceTheNextOneIsVerifiedToo() async throws {
        // The seed sends at the bit rate, so the second segment comes seconds after the first; a long buffer makes
        // the first one wait for it.
        var settings = StreamingSettings.standard
        settings.startupBuffer = .seconds(20)
        let swarm = try await StreamingSwarm(seedRate: { $0 }, settings: settings)
        defer { Task { await swarm.stop() } }
        _ = try await VirtualPlayer(masterURL: "\(swarm.baseURL)/v/\(swarm.infoHash)/master.m3u8").play(segmentLimit: 1)
        let index = try #require(await swarm.streamer.videoIndex)
        let have = await swarm.watcherSession.have
        #expect(index.segments[1].pieces.allSatisfy { have[$0] }, "the second segment was not there")
    }

    @Test func aSeekMovesTheDeadlinesToTheNewPosition() async throws {
        // The seed sends at 1.5× the bit rate: the swarm is busy with the opening window when the player jumps. The
        // sample is 20 s long, so the windows are scaled down for a jump to the end to count as a seek.
        var settings = StreamingSettings.standard
        settings.readAhead = .seconds(5)
        settings.seekThreshold = .seconds(5)
        let swarm = try await StreamingSwarm(seedRate: { $0 * 3 / 2 }, settings: settings)
        defer { Task { await swarm.stop() } }
        let base = "\(swarm.baseURL)/v/\(swarm.infoHash)"
        _ = try await VirtualPlayer(masterURL: "\(base)/master.m3u8").play(segmentLimit: 1)
        let index = try #require(await swarm.streamer.videoIndex)
        let last = try #require(index.segments.last)
        let answer = try await HTTPFetcher.fetch("\(base)/\(last.path)")
        #expect(answer.status == 200)
        let quality = await swarm.streamer.playbackQuality
        #expect(quality.seeks == 1)
        let position = try #require(await swarm.streamer.position)
        #expect(position.segment == last.index)
        // Nothing before the new position keeps a deadline except the head (playlists and init).
        let head = Set(index.headPieces)
        let deadlines = await swarm.watcherSession.piecesWithDeadlines
        let stale = deadlines.filter { !head.contains($0) && $0 < last.pieces.lowerBound }
        #expect(stale.isEmpty, "pieces before the seek target still have deadlines: \(stale)")
    }

    @Test func aWatcherWithoutPeersAnswers503WithRetryAfterAndAsksForThePlaylistsFirst() async throws {
        let swarm = try await StreamingSwarm(withSeed: false, pieceWait: .milliseconds(300))
        defer { Task { await swarm.stop() } }
        let answer = try await HTTPFetcher.fetch("\(swarm.baseURL)/v/\(swarm.infoHash)/master.m3u8")
        #expect(answer.status == 503)
        #expect(answer.header("Retry-After") == "1")
        #expect(answer.header("Cache-Control") == "no-store")
        let playlists = Set(
            VideoTorrentIndex.playlistPieces(files: swarm.metainfo.files, pieceLength: swarm.metainfo.pieceLength))
        let deadlines = Set(await swarm.watcherSession.piecesWithDeadlines)
        #expect(!playlists.isEmpty && playlists.isSubset(of: deadlines))
        // Nothing unverified was served: the watcher has no piece at all.
        #expect(await swarm.watcherSession.verifiedPieceCount == 0)
        // A viewer's upload slots go to the peers it trades the most with, both ways.
        #expect(await swarm.watcherSession.leechingMode == .exchange)
    }

    @Test func rarestFirstModeSetsNoDeadlines() async throws {
        var settings = StreamingSettings.standard
        settings.mode = .rarestFirst
        let swarm = try await StreamingSwarm(withSeed: false, settings: settings, pieceWait: .milliseconds(200))
        defer { Task { await swarm.stop() } }
        let answer = try await HTTPFetcher.fetch("\(swarm.baseURL)/v/\(swarm.infoHash)/master.m3u8")
        #expect(answer.status == 503)
        #expect(await swarm.watcherSession.piecesWithDeadlines.isEmpty)
        #expect(await swarm.streamer.status().mode == "rarest-first")
        #expect(await swarm.watcherSession.leechingMode == .reciprocate)
    }
}
