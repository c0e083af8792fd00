import NIOCore
import TorrentModel

/// A length-prefixed peer wire message (BEP 3, 5, 6, 10).
///
/// Piece indices, offsets and lengths are `Int` for the engine's convenience; on the wire they are
/// 32-bit, and encoding a value outside `0...UInt32.max` is a programming error.
/// The parser does not check that BEP 6 or BEP 10 messages were negotiated in the handshake:
/// that is the session's business, since only it knows both handshakes.
public enum PeerMessage: Hashable, Sendable {
    /// A zero-length message that keeps an idle connection open.
    case keepAlive
    case choke
    case unchoke
    case interested
    case notInterested
    case have(piece: Int)
    /// The raw bitfield bytes. Their count can only be checked against the torrent's piece count,
    /// which a magnet link learns later: use `Bitfield(wireBytes:count:)`.
    case bitfield([UInt8])
    case request(BlockRange)
    /// A block of data; `block` is a slice of the receive buffer, not a copy.
    case piece(index: Int, begin: Int, block: ByteBuffer)
    case cancel(BlockRange)
    /// BEP 5: the peer's DHT port.
    case port(UInt16)
    /// BEP 6: a piece the peer suggests downloading (it has it cached, say).
    case suggestPiece(Int)
    case haveAll
    case haveNone
    /// BEP 6: the peer will not serve this request.
    case rejectRequest(BlockRange)
    /// BEP 6: a piece the peer will serve even while choking us.
    case allowedFast(Int)
    /// BEP 10: an extension message; ID 0 is the extension handshake, others are the IDs the
    /// receiver assigned in its handshake's `m` dictionary.
    case extended(id: UInt8, payload: ByteBuffer)

    /// The message ID, or nil for keep-alive (which has none).
    public var id: PeerMessageID? {
        switch self {
        case .keepAlive: return nil
        case .choke: return .choke
        case .unchoke: return .unchoke
        case .interested: return .interested
        case .notInterested: return .notInterested
        case .have: return .have
        case .bitfield: return .bitfield
        case .request: return .request
        case .piece: return .piece
        case .cancel: return .cancel
        case .port: return .port
        case .suggestPiece: return .suggestPiece
        case .haveAll: return .haveAll
        case .haveNone: return .haveNone
        case .rejectRequest: return .rejectRequest
        case .allowedFast: return .allowedFast
        case .extended: return .extended
        }
    }
}

extension PeerMessage: CustomStringConvertible {
    /// One short line for logs; data is summarised, never dumped.
    public var description: String {
        switch self {
        case .keepAlive: return "keep-alive"
        case .have(let piece): return "have \(piece)"
        case .bitfield(let bytes): return "bitfield (\(bytes.count) bytes)"
        case .request(let block): return "request \(block.piece)+\(block.offset) (\(block.length) bytes)"
        case .piece(let index, let begin, let block): return "piece \(index)+\(begin) (\(block.readableBytes) bytes)"
        case .cancel(let block): return "cancel \(block.piece)+\(block.offset) (\(block.length) bytes)"
        case .port(let port): return "port \(port)"
        case .suggestPiece(let piece): return "suggest piece \(piece)"
        case .rejectRequest(let block):
            return "reject request \(block.piece)+\(block.offset) (\(block.length) bytes)"
        case .allowedFast(let piece): return "allowed fast \(piece)"
        case .extended(let id, let payload): return "extended \(id) (\(payload.readableBytes) bytes)"
        case .choke, .unchoke, .interested, .notInterested, .haveAll, .haveNone: return id!.description
        }
    }
}
