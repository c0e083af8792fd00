import Bencode
import NIOCore

/// A BEP 9 `ut_metadata` message: a bencoded dictionary, followed in a data message by the raw
/// bytes of one 16 KiB piece of the info dictionary.
public enum MetadataMessage: Hashable, Sendable {
    /// The extension's name in the `m` dictionary of the extension handshake.
    public static let extensionName = "ut_metadata"
    /// The ID Shoal asks peers to send ut_metadata messages with (any 1...255 would do; this is
    /// libtorrent's choice, which keeps packet captures easy to compare).
    public static let localExtensionID: UInt8 = 2

    case request(piece: Int)
    /// One piece of the metadata; `totalSize` is the size of the whole info dictionary.
    case data(piece: Int, totalSize: Int, bytes: [UInt8])
    /// The sender will not serve this piece (it lacks the metadata, or limits requests).
    case reject(piece: Int)

    public var piece: Int {
        switch self {
        case .request(let piece), .data(let piece, _, _), .reject(let piece): return piece
        }
    }

    /// Decodes the payload of an extended message (after the extension ID byte). Returns nil for
    /// a `msg_type` other than request, data or reject, which BEP 9 says must be ignored.
    public static func decode(_ payload: [UInt8]) throws(PeerWireError) -> MetadataMessage? {
        let node: BencodeNode
        let headerLength: Int
        do {
            (node, headerLength) = try BencodeDecoder(requiresSortedKeys: false).decodePrefix(payload)
        } catch {
            throw .invalidMetadataMessage(error.description)
        }
        let fields = try BencodeFields(node, what: "the message", invalid: PeerWireError.invalidMetadataMessage)
        guard let type = try fields.integer("msg_type") else { throw .invalidMetadataMessage("missing 'msg_type'") }
        guard (0...2).contains(type) else { return nil }
        // Any 31-bit index: a torrent loaded from a file may be larger than what Shoal fetches
        // itself, and its peers' requests deserve a data message or a reject, not a disconnect.
        guard let piece = try fields.integer("piece", in: 0...Int(Int32.max)) else {
            throw .invalidMetadataMessage("missing 'piece'")
        }
        let trailing = payload.count - headerLength
        switch type {
        case 0, 2:
            guard trailing == 0 else {
                throw .invalidMetadataMessage("\(trailing) bytes after a \(type == 0 ? "request" : "reject")")
            }
            return type == 0 ? .request(piece: piece) : .reject(piece: piece)
        default:
            guard let totalSize = try fields.integer("total_size", in: 1...Int.max) else {
                throw .invalidMetadataMessage("data message without 'total_size'")
            }
            guard trailing > 0 && trailing <= PeerWireLimits.metadataPieceLength else {
                throw .invalidMetadataMessage("data message with \(trailing) bytes of metadata")
            }
            return .data(piece: piece, totalSize: totalSize, bytes: Array(payload[headerLength...]))
        }
    }

    /// Decodes the payload of an extended message as it comes from the parser.
    public static func decode(_ payload: ByteBuffer) throws(PeerWireError) -> MetadataMessage? {
        try decode(Array(payload.readableBytesView))
    }

    /// The payload of the extended message: the canonical dictionary, then a data message's bytes.
    public func encoded() -> [UInt8] {
        var output: [UInt8]
        switch self {
        case .request(let piece):
            output = BencodeEncoder.encode(["msg_type": 0, "piece": .integer(Int64(piece))])
        case .data(let piece, let totalSize, let bytes):
            output = BencodeEncoder.encode([
                "msg_type": 1, "piece": .integer(Int64(piece)), "total_size": .integer(Int64(totalSize)),
            ])
            output.append(contentsOf: bytes)
        case .reject(let piece):
            output = BencodeEncoder.encode(["msg_type": 2, "piece": .integer(Int64(piece))])
        }
        return output
    }

    /// The extended message to send, with the ID the peer gave `ut_metadata` in its handshake.
    public func message(extensionID: UInt8) -> PeerMessage {
        .extended(id: extensionID, payload: ByteBuffer(bytes: encoded()))
    }

    /// How many 16 KiB pieces metadata of `size` bytes has.
    public static func pieceCount(forSize size: Int) -> Int {
        (size + PeerWireLimits.metadataPieceLength - 1) / PeerWireLimits.metadataPieceLength
    }

    /// The length of piece `index` of metadata of `size` bytes: 16 KiB but possibly the last.
    public static func pieceLength(_ index: Int, forSize size: Int) -> Int {
        min(PeerWireLimits.metadataPieceLength, size - index * PeerWireLimits.metadataPieceLength)
    }
}
