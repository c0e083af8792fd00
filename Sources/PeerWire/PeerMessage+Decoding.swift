import NIOCore
import TorrentModel

extension PeerMessage {
    /// Checks a message's payload length (after the ID byte) as soon as the ID is known, before
    /// waiting for the payload, so an impossible message is refused without buffering it.
    static func validate(id: PeerMessageID, payloadLength: Int) throws(PeerWireError) {
        if let fixed = id.fixedPayloadLength {
            guard payloadLength == fixed else { throw .wrongMessageLength(id: id, length: payloadLength) }
            return
        }
        switch id {
        case .bitfield:
            guard payloadLength <= PeerWireLimits.maximumBitfieldLength else {
                throw .messageTooLong(
                    id: id, length: 1 + payloadLength, limit: 1 + PeerWireLimits.maximumBitfieldLength)
            }
        case .piece:
            let header = PeerWireLimits.pieceHeaderLength
            guard payloadLength >= header else { throw .wrongMessageLength(id: id, length: payloadLength) }
            let blockLength = payloadLength - header
            guard blockLength > 0 && blockLength <= PeerWireLimits.maximumBlockLength else {
                throw .invalidBlockLength(id: id, length: blockLength)
            }
        case .extended:
            guard payloadLength >= 1 else { throw .wrongMessageLength(id: id, length: payloadLength) }
            guard payloadLength <= PeerWireLimits.maximumExtendedPayloadLength else {
                throw .messageTooLong(
                    id: id, length: 1 + payloadLength, limit: 1 + PeerWireLimits.maximumExtendedPayloadLength)
            }
        default:
            break
        }
    }

    /// Reads a validated payload of a known message ID.
    static func decode(id: PeerMessageID, payload: inout ByteBuffer) throws(PeerWireError) -> PeerMessage {
        switch id {
        case .choke: return .choke
        case .unchoke: return .unchoke
        case .interested: return .interested
        case .notInterested: return .notInterested
        case .haveAll: return .haveAll
        case .haveNone: return .haveNone
        case .have: return .have(piece: readIndex(&payload))
        case .suggestPiece: return .suggestPiece(readIndex(&payload))
        case .allowedFast: return .allowedFast(readIndex(&payload))
        case .bitfield: return .bitfield(payload.readBytes(length: payload.readableBytes)!)
        case .request: return .request(try readBlock(id: id, &payload))
        case .cancel: return .cancel(try readBlock(id: id, &payload))
        case .rejectRequest: return .rejectRequest(try readBlock(id: id, &payload))
        case .piece:
            let index = readIndex(&payload)
            let begin = readIndex(&payload)
            return .piece(index: index, begin: begin, block: payload)
        case .port: return .port(payload.readInteger(as: UInt16.self)!)
        case .extended:
            let extensionID = payload.readInteger(as: UInt8.self)!
            return .extended(id: extensionID, payload: payload)
        default:
            preconditionFailure("decode called for unknown message \(id)")
        }
    }

    private static func readIndex(_ payload: inout ByteBuffer) -> Int {
        Int(payload.readInteger(as: UInt32.self)!)
    }

    private static func readBlock(id: PeerMessageID, _ payload: inout ByteBuffer) throws(PeerWireError) -> BlockRange {
        let piece = readIndex(&payload)
        let offset = readIndex(&payload)
        let length = readIndex(&payload)
        guard length > 0 && length <= PeerWireLimits.maximumBlockLength else {
            throw .invalidBlockLength(id: id, length: length)
        }
        return BlockRange(piece: piece, offset: offset, length: length)
    }
}
