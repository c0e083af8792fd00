import NIOCore
import NIOPosix
import PeerWire
import PieceStorage
import SwarmEngine
import Testing
import TorrentModel

/// A peer scripted over a raw connection, to break the rules on purpose.
enum HostilePeer {
    /// A raw peer-wire connection to 127.0.0.1:`port`, with no handshake sent yet.
    static func dial(port: Int) async throws -> NIOAsyncChannel<PeerWireFrame, PeerWireFrame> {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(PeerWireDecoder()))
                    try channel.pipeline.syncOperations.addHandler(PeerWireEncoder())
                    return try NIOAsyncChannel<PeerWireFrame, PeerWireFrame>(wrappingChannelSynchronously: channel)
                }
            }
    }

    /// Dials, handshakes, claims every piece and sends a block nobody asked for. Returns how many frames
    /// arrived before the other side hung up (it must hang up, or this never returns).
    static func sendUnrequestedBlock(port: Int, infoHash: InfoHash) async throws -> Int {
        let channel = try await dial(port: port)
        return try await channel.executeThenClose { inbound, outbound in
            let id = PeerID(bytes: Array("-XX0000-hostile00000".utf8))!
            try await outbound.write(.handshake(Handshake(infoHash: infoHash, peerID: id)))
            try await outbound.write(.message(.haveAll))
            let block = ByteBuffer(repeating: 0, count: 16 * 1024)
            try await outbound.write(.message(.piece(index: 0, begin: 0, block: block)))
            var frames = 0
            do {
                for try await _ in inbound { frames += 1 }
            } catch {
                // A reset is as good as a close here.
            }
            return frames
        }
    }
}

extension HostilePeer {
    /// What a seed says first: the handshake as `name` (`-XX0000-` + name, 20 bytes in all), every piece, unchoke.
    static func greetAsSeed(
        _ outbound: NIOAsyncChannelOutboundWriter<PeerWireFrame>, infoHash: InfoHash, name: String
    ) async throws {
        let id = PeerID(bytes: Array("-XX0000-\(name)".utf8.prefix(20)))!
        try await outbound.write(.handshake(Handshake(infoHash: infoHash, peerID: id)))
        try await outbound.write(.message(.haveAll))
        try await outbound.write(.message(.unchoke))
    }

    /// Dials, handshakes, claims every piece, unchokes and answers every request with zeros. Returns how
    /// many blocks it sent before the other side hung up.
    static func serveCorruptBlocks(port: Int, infoHash: InfoHash) async throws -> Int {
        let channel = try await dial(port: port)
        return try await channel.executeThenClose { inbound, outbound in
            try await greetAsSeed(outbound, infoHash: infoHash, name: "corrupt00000")
            var sent = 0
            do {
                for try await frame in inbound {
                    guard case .message(.request(let block)) = frame else { continue }
                    let zeros = ByteBuffer(repeating: 0, count: block.length)
                    try await outbound.write(.message(.piece(index: block.piece, begin: block.offset, block: zeros)))
                    sent += 1
                }
            } catch {
                // A reset is as good as a close here.
            }
            return sent
        }
    }
}

@Suite("Swarm engine against a hostile peer")
struct HostilePeerTests {
    @Test("a peer sending an unrequested block is disconnected and the download completes", .timeLimit(.minutes(1)))
    func unrequestedBlock() async throws {
        let fixture = try TorrentFixture(fileLengths: [100 * 1024], seed: 4)
        let seed = try await fixture.seedStore()
        let leecher = try await fixture.emptyStore()
        let frames = try await SwarmHarness(dials: [(from: 1, to: 0)]).run(
            metainfo: fixture.metainfo, stores: [seed, leecher]
        ) { sessions, ports in
            let frames = try await HostilePeer.sendUnrequestedBlock(port: ports[1], infoHash: fixture.metainfo.infoHash)
            await sessions[1].waitUntilComplete()
            return frames
        }
        // The leecher answered the handshake (at least the handshake came back) before hanging up.
        #expect(frames >= 1)
        #expect(await leecher.fileContents(0) == fixture.contents(ofFile: 0))
    }

    @Test("a peer sending a corrupt piece is banned and the piece comes from the seed", .timeLimit(.minutes(1)))
    func corruptPiece() async throws {
        // One block per piece, so a bad piece has exactly one sender.
        let fixture = try TorrentFixture(fileLengths: [200 * 1024], seed: 5)
        let seed = try await fixture.seedStore()
        let leecher = try await fixture.emptyStore()
        let sent = try await SwarmHarness(dials: []).run(metainfo: fixture.metainfo, stores: [seed, leecher]) {
            sessions, ports in
            let sent = try await HostilePeer.serveCorruptBlocks(port: ports[1], infoHash: fixture.metainfo.infoHash)
            #expect(await sessions[1].verifiedPieceCount == 0)
            let peers = await sessions[1].connectedPeerCount
            #expect(peers == 0)
            // Banned: coming back with the same identity is refused right after the handshake.
            let again = try await HostilePeer.serveCorruptBlocks(port: ports[1], infoHash: fixture.metainfo.infoHash)
            #expect(again == 0)
            return sent
        }
        #expect(sent >= 1)
        // A second run with the honest seed finishes the same store.
        try await SwarmHarness(dials: [(from: 1, to: 0)]).run(metainfo: fixture.metainfo, stores: [seed, leecher]) {
            sessions, _ in
            await sessions[1].waitUntilComplete()
        }
        #expect(await leecher.fileContents(0) == fixture.contents(ofFile: 0))
    }
}
