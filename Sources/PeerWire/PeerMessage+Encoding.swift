import NIOCore
import TorrentModel

extension PeerMessage {
    /// The message's size on the wire, length prefix included.
    public var encodedLength: Int { 4 + payloadLength }

    /// ID byte plus payload: the value of the length prefix.
    var payloadLength: Int {
        switch self {
        case .keepAlive: return 0
        case .bitfield(let bytes): return 1 + bytes.count
        case .piece(_, _, let block): return 1 + PeerWireLimits.pieceHeaderLength + block.readableBytes
        case .extended(_, let payload): return 2 + payload.readableBytes
        default: return 1 + id!.fixedPayloadLength!
        }
    }

    /// Writes the message, length prefix included.
    public func encode(into buffer: inout ByteBuffer) {
        encodeHeader(into: &buffer)
        if case .piece(_, _, let block) = self { buffer.writeImmutableBuffer(block) }
    }

    /// Writes everything but a piece's block, so the encoder can hand the block on without copying it.
    func encodeHeader(into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt32(payloadLength))
        guard let id else { return }
        buffer.writeInteger(id.rawValue)
        switch self {
        case .keepAlive, .choke, .unchoke, .interested, .notInterested, .haveAll, .haveNone:
            break
        case .have(let piece), .suggestPiece(let piece), .allowedFast(let piece):
            Self.write(piece, to: &buffer)
        case .bitfield(let bytes):
            buffer.writeBytes(bytes)
        case .request(let block), .cancel(let block), .rejectRequest(let block):
            Self.write(block.piece, to: &buffer)
            Self.write(block.offset, to: &buffer)
            Self.write(block.length, to: &buffer)
        case .piece(let index, let begin, _):
            Self.write(index, to: &buffer)
            Self.write(begin, to: &buffer)
        case .port(let port):
            buffer.writeInteger(port)
        case .extended(let extensionID, let payload):
            buffer.writeInteger(extensionID)
            buffer.writeImmutableBuffer(payload)
        }
    }

    private static func write(_ value: Int, to buffer: inout ByteBuffer) {
        guard let wireValue = UInt32(exactly: value) else {
            preconditionFailure("\(value) does not fit a 32-bit wire field")
        }
        buffer.writeInteger(wireValue)
    }
}
