import Bencode
import NIOCore
import TestSupport
import TorrentModel

@testable import PeerWire

enum Fixtures {
    static let infoHash = InfoHash(bytes: Array(1...20))!
    static let peerID = PeerID(bytes: Array("-SH0100-abcdefghijkl".utf8))!
    static let handshake = Handshake(reserved: .shoal, infoHash: infoHash, peerID: peerID)

    /// One of every message, with values that use all four bytes of 32-bit fields.
    static let everyMessage: [PeerMessage] = [
        .keepAlive, .choke, .unchoke, .interested, .notInterested,
        .have(piece: 0x0102_0304),
        .bitfield([0b1010_0000, 0xFF, 0x01]),
        .bitfield([]),
        .request(BlockRange(piece: 7, offset: 0x4000, length: 0x4000)),
        .piece(index: 3, begin: 0x8000, block: ByteBuffer(bytes: Array(0..<200))),
        .cancel(BlockRange(piece: 0xFFFF_FFFF, offset: 0, length: 1)),
        .port(6881),
        .suggestPiece(42),
        .haveAll, .haveNone,
        .rejectRequest(BlockRange(piece: 9, offset: 16_384, length: 100)),
        .allowedFast(77),
        .extended(id: 0, payload: ByteBuffer(bytes: Array("d1:md11:ut_metadatai2eee".utf8))),
        .extended(id: 3, payload: ByteBuffer()),
    ]

    static func bytes(_ message: PeerMessage) -> [UInt8] {
        var buffer = ByteBuffer()
        message.encode(into: &buffer)
        return Array(buffer.readableBytesView)
    }

    static func bytes(_ frames: [PeerWireFrame]) -> [UInt8] {
        var buffer = ByteBuffer()
        for frame in frames { frame.encode(into: &buffer) }
        return Array(buffer.readableBytesView)
    }

    /// A raw message: length prefix, ID, payload.
    static func raw(id: UInt8, payload: [UInt8]) -> [UInt8] {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt32(1 + payload.count))
        buffer.writeInteger(id)
        buffer.writeBytes(payload)
        return Array(buffer.readableBytesView)
    }

    static func uint32(_ value: UInt32) -> [UInt8] {
        [
            UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8),
            UInt8(truncatingIfNeeded: value),
        ]
    }

    /// Feeds `chunks` one after another to one parser and collects every frame, keeping unread
    /// bytes between chunks as a socket reader would.
    static func parse(
        chunks: [[UInt8]],
        parser: PeerWireParser = PeerWireParser()
    ) throws(PeerWireError) -> [PeerWireFrame] {
        var parser = parser
        var buffer = ByteBuffer()
        var frames: [PeerWireFrame] = []
        for chunk in chunks {
            buffer.writeBytes(chunk)
            while let frame = try parser.next(&buffer) { frames.append(frame) }
        }
        try parser.finish(leftover: buffer)
        return frames
    }

    static func parse(_ bytes: [UInt8], expectingHandshake: Bool = false) throws(PeerWireError) -> [PeerWireFrame] {
        try parse(chunks: [bytes], parser: PeerWireParser(expectingHandshake: expectingHandshake))
    }

    /// The error parsing `bytes` throws, or nil.
    static func error(parsing bytes: [UInt8], expectingHandshake: Bool = false) -> PeerWireError? {
        do {
            _ = try parse(bytes, expectingHandshake: expectingHandshake)
            return nil
        } catch {
            return error
        }
    }

    /// A valid single-file info dictionary of `pieceCount` pieces of 16 KiB.
    static func infoBytes(pieceCount: Int, name: String = "video.mp4", seed: UInt64 = 1) -> [UInt8] {
        var random = SeededRandom(seed: seed)
        let info: BencodeValue = [
            "name": .string(name),
            "piece length": 16_384,
            "length": .integer(Int64(pieceCount) * 16_384 - 100),
            "pieces": .bytes(random.bytes(count: pieceCount * 20)),
        ]
        return BencodeEncoder.encode(info)
    }
}
