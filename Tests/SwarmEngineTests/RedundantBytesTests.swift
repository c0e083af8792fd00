import NIOCore
import PeerWire
import SwarmEngine
import TestSupport
import Testing
import TorrentModel

/// A seed scripted over a raw connection: it has every piece, unchokes, and answers requests with the right bytes,
/// at once or only after the other side cancelled them (as a peer whose socket already held the block would).
enum ScriptedSeed {
    enum Answer { case atOnce, afterCancel }

    /// Dials 127.0.0.1:`port`, serves `data` (one piece of one block) and returns once it answered a request as
    /// `answer` says. `requested` runs when the first request came.
    static func serve(
        port: Int, infoHash: InfoHash, data: [UInt8], name: String, answer: Answer,
        requested: @Sendable () -> Void = {}
    ) async throws {
        let channel = try await HostilePeer.dial(port: port)
        try await channel.executeThenClose { inbound, outbound in
            try await HostilePeer.greetAsSeed(outbound, infoHash: infoHash, name: name)
            var pending: BlockRange?
            for try await frame in inbound {
                switch frame {
                case .message(.request(let block)):
                    requested()
                    guard answer == .atOnce else {
                        pending = block
                        continue
                    }
                    try await send(block, of: data, to: outbound)
                    return
                case .message(.cancel(let block)) where block == pending:
                    try await send(block, of: data, to: outbound)
                    return
                default: continue
                }
            }
        }
    }

    private static func send(
        _ block: BlockRange, of data: [UInt8], to outbound: NIOAsyncChannelOutboundWriter<PeerWireFrame>
    ) async throws {
        let bytes = ByteBuffer(bytes: data[block.offset..<(block.offset + block.length)])
        try await outbound.write(.message(.piece(index: block.piece, begin: block.offset, block: bytes)))
    }
}

@Suite("Redundant bytes")
struct RedundantBytesTests {
    @Test(
        "a block that comes twice (asked of two peers in endgame, one sent it after our cancel) counts as redundant",
        .timeLimit(.minutes(1)))
    func aBlockSentAfterCancelIsRedundant() async throws {
        // One piece of one block: once it is asked of the first seed, the download is in endgame.
        let fixture = try TorrentFixture(fileLengths: [16 * 1024], seed: 21)
        let leecher = try await fixture.emptyStore()
        let data = fixture.contents(ofFile: 0)
        let infoHash = fixture.metainfo.infoHash
        let redundant = try await SwarmHarness(dials: []).run(metainfo: fixture.metainfo, stores: [leecher]) {
            sessions, ports in
            let (asked, askedSink) = AsyncStream.makeStream(of: Void.self)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await ScriptedSeed.serve(
                        port: ports[0], infoHash: infoHash, data: data, name: "slowseed0000",
                        answer: .afterCancel, requested: { askedSink.yield() })
                }
                for await _ in asked { break }
                // The only block is asked of the slow seed: the second seed gets the same request (endgame),
                // answers it at once, and the slow one sends its copy when told to cancel.
                group.addTask {
                    try await ScriptedSeed.serve(
                        port: ports[0], infoHash: infoHash, data: data, name: "fastseed0000", answer: .atOnce)
                }
                try await group.waitForAll()
            }
            await sessions[0].waitUntilComplete()
            try await eventually("the second copy counted", timeout: .seconds(20)) {
                await sessions[0].redundantBytes > 0
            }
            return await sessions[0].redundantBytes
        }
        #expect(redundant == 16 * 1024)
        #expect(await leecher.fileContents(0) == data)
    }
}
