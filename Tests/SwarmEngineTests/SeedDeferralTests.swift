import PieceStorage
import SwarmEngine
import Testing

/// A busy seed passes requests for pieces another connected peer has on to that peer (BEP 6 `reject
/// request`), and the downloader still completes with the right bytes.
@Suite("Seed request deferral")
struct SeedDeferralTests {
    @Test(
        "a slow seed refuses what a fast one also has; the leecher completes from the fast one", .timeLimit(.minutes(2))
    )
    func busySeedDefersToAnotherHolder() async throws {
        let fixture = try TorrentFixture(fileLengths: [2 * 1024 * 1024], pieceLength: 64 * 1024, seed: 23)
        let slow = try await fixture.seedStore()
        let fast = try await fixture.seedStore()
        let leecher = try await fixture.emptyStore()
        // 16 KiB/s: a second request waiting at the slow seed takes a second to send, so the seed is busy. The
        // seeds are connected, so the slow one knows the fast one has every piece. The leecher takes 8 s (256 KiB/s
        // in), long enough for the seeds' connection to be up whatever the order the dials complete in.
        let harness = SwarmHarness(
            dials: [(from: 1, to: 0), (from: 2, to: 0), (from: 2, to: 1)],
            settings: [
                0: EngineSettings(maximumUploadRate: 16 * 1024), 2: EngineSettings(maximumDownloadRate: 256 * 1024),
            ])
        let (deferred, slowUploaded, fastUploaded) = try await harness.run(
            metainfo: fixture.metainfo, stores: [slow, fast, leecher]
        ) { sessions, _ in
            await sessions[2].waitUntilComplete()
            return (
                await sessions[0].deferredRequests, await sessions[0].uploadedBytes, await sessions[1].uploadedBytes
            )
        }
        #expect(await leecher.fileContents(0) == fixture.contents(ofFile: 0))
        #expect(deferred > 0, "the slow seed refused nothing")
        #expect(fastUploaded > slowUploaded * 4, "slow seed sent \(slowUploaded), fast one \(fastUploaded)")
    }

    @Test("a lone slow seed refuses nothing: nobody else has the pieces", .timeLimit(.minutes(2)))
    func loneSeedServesEverything() async throws {
        let fixture = try TorrentFixture(fileLengths: [512 * 1024], pieceLength: 64 * 1024, seed: 29)
        let seed = try await fixture.seedStore()
        let leecher = try await fixture.emptyStore()
        let harness = SwarmHarness(
            dials: [(from: 1, to: 0)], settings: [0: EngineSettings(maximumUploadRate: 128 * 1024)])
        let deferred = try await harness.run(metainfo: fixture.metainfo, stores: [seed, leecher]) { sessions, _ in
            await sessions[1].waitUntilComplete()
            return await sessions[0].deferredRequests
        }
        #expect(await leecher.fileContents(0) == fixture.contents(ofFile: 0))
        #expect(deferred == 0)
    }
}
