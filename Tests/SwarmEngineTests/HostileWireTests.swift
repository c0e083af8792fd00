import NIOCore
import NIOPosix
import PeerWire
import PieceStorage
import SwarmEngine
import Testing
import TorrentModel

/// A peer that writes raw bytes, to send what no encoder would: oversized lengths, bitfields of the
/// wrong size. It returns once the other side hangs up.
enum RawHostilePeer {
    /// Sends our handshake, then `payload` as-is, and counts the bytes that come back before the close.
    static func send(_ payload: [UInt8], port: Int, infoHash: InfoHash, name: String) async throws -> Int {
        let id = PeerID(bytes: Array("-XX0000-\(name)000000000000".utf8.prefix(20)))!
        return try await sendRaw(Handshake(infoHash: infoHash, peerID: id).bytes + payload, port: port)
    }

    /// Writes `bytes` on a fresh connection and counts what comes back until the other side closes.
    static func sendRaw(_ bytes: [UInt8], port: Int) async throws -> Int {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(bytes: bytes))
            var received = 0
            do {
                for try await buffer in inbound { received += buffer.readableBytes }
            } catch {
                // A reset is as good as a close here.
            }
            return received
        }
    }

    /// A message frame: 4-byte big-endian length, then the ID and payload.
    static func frame(id: UInt8, payload: [UInt8]) -> [UInt8] {
        let length = UInt32(1 + payload.count)
        return withUnsafeBytes(of: length.bigEndian) { Array($0) } + [id] + payload
    }
}

@Suite("Swarm engine against malformed wire data")
struct HostileWireTests {
    /// Runs an honest seed and a leecher; the hostile peer connects to the leecher while it downloads.
    private func withHostile(
        _ payload: [UInt8], name: String
    ) async throws -> (hungUpAfter: Int, complete: Bool, correct: Bool) {
        let fixture = try TorrentFixture(fileLengths: [256 * 1024], seed: 21)
        let seed = try await fixture.seedStore()
        let leecher = try await fixture.emptyStore()
        let received = try await SwarmHarness(dials: [(from: 1, to: 0)]).run(
            metainfo: fixture.metainfo, stores: [seed, leecher]
        ) { sessions, ports in
            let received = try await RawHostilePeer.send(
                payload, port: ports[1], infoHash: fixture.metainfo.infoHash, name: name)
            await sessions[1].waitUntilComplete()
            return received
        }
        return (
            received, leecher.completion.verified.isComplete,
            await leecher.fileContents(0) == fixture.contents(ofFile: 0)
        )
    }

    @Test("an oversized message length closes the connection; the download completes", .timeLimit(.minutes(1)))
    func oversizedMessage() async throws {
        // Claims a 64 MiB message: far beyond the limit for a 16-piece torrent.
        let payload = withUnsafeBytes(of: UInt32(64 * 1024 * 1024).bigEndian) { Array($0) } + [7, 0, 0, 0, 0]
        let outcome = try await withHostile(payload, name: "oversize")
        #expect(outcome.complete && outcome.correct)
    }

    @Test("a bitfield of the wrong length closes the connection; the download completes", .timeLimit(.minutes(1)))
    func badBitfield() async throws {
        // 16 pieces need 2 bytes; 5 is wrong.
        let outcome = try await withHostile(
            RawHostilePeer.frame(id: 5, payload: [0xFF, 0xFF, 0, 0, 0]), name: "bitfield")
        #expect(outcome.complete && outcome.correct)
    }

    @Test("a request beyond the torrent closes the connection", .timeLimit(.minutes(1)))
    func requestOutOfRange() async throws {
        let request = [0, 0, 0, 99, 0, 0, 0, 0, 0, 0, 0x40, 0] as [UInt8]
        let outcome = try await withHostile(
            RawHostilePeer.frame(id: 2, payload: []) + RawHostilePeer.frame(id: 6, payload: request), name: "request")
        #expect(outcome.complete && outcome.correct)
    }

    @Test("garbage instead of a handshake closes the connection", .timeLimit(.minutes(1)))
    func notBitTorrent() async throws {
        let fixture = try TorrentFixture(fileLengths: [32 * 1024], seed: 22)
        let seed = try await fixture.seedStore()
        try await SwarmHarness(dials: []).run(metainfo: fixture.metainfo, stores: [seed]) { _, ports in
            let received = try await RawHostilePeer.sendRaw(
                Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8), port: ports[0])
            #expect(received == 0)
        }
    }
}
