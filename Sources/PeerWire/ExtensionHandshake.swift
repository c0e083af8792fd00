import Bencode
import NIOCore

/// The BEP 10 extension handshake: extended message 0, a bencoded dictionary that names the
/// extensions a peer supports and the message IDs it wants them sent with.
///
/// Decoding ignores keys it does not use and accepts keys in any order (clients differ), but a key
/// it uses with the wrong type or an impossible value is refused. `complete_ago` and
/// `upload_only` are advisory: kept when well-formed, ignored otherwise.
public struct ExtensionHandshake: Hashable, Sendable {
    /// The extended message ID of the handshake itself.
    public static let extendedMessageID: UInt8 = 0

    /// `m`: extension name → the ID the sender wants to receive it with. 0 means "disabled".
    public var extensions: [String: UInt8]
    /// `v`: client name and version, for logs.
    public var client: String?
    /// `p`: the sender's listening TCP port.
    public var listenPort: UInt16?
    /// `reqq`: how many outstanding requests the sender queues before dropping more.
    public var requestQueueLength: Int?
    /// `metadata_size` (BEP 9): the size of the info dictionary, when the sender has it.
    /// Not checked against `PeerWireLimits.maximumMetadataSize` here: `MetadataAssembler` refuses
    /// sizes above it, while a peer with a large torrent can still serve pieces of one we know.
    public var metadataSize: Int?
    /// `yourip`: our address as the sender sees it, 4 (IPv4) or 16 (IPv6) bytes.
    public var yourIP: [UInt8]?
    /// `upload_only` (BEP 21): the sender is a seed or only uploads.
    public var uploadOnly: Bool?
    /// `complete_ago`: seconds since the sender last had every piece (-1: never).
    public var completeAgo: Int?

    public init(
        extensions: [String: UInt8] = [:],
        client: String? = nil,
        listenPort: UInt16? = nil,
        requestQueueLength: Int? = nil,
        metadataSize: Int? = nil,
        yourIP: [UInt8]? = nil,
        uploadOnly: Bool? = nil,
        completeAgo: Int? = nil
    ) {
        self.extensions = extensions
        self.client = client
        self.listenPort = listenPort
        self.requestQueueLength = requestQueueLength
        self.metadataSize = metadataSize
        self.yourIP = yourIP
        self.uploadOnly = uploadOnly
        self.completeAgo = completeAgo
    }

    /// The ID to send extension `name` with, or nil when the peer does not support it (or disabled it).
    public func messageID(forExtension name: String) -> UInt8? {
        guard let id = extensions[name], id != 0 else { return nil }
        return id
    }

    /// Decodes the payload of extended message 0 (after the extension ID byte).
    public init(payload: [UInt8]) throws(PeerWireError) {
        let node: BencodeNode
        do {
            node = try BencodeDecoder(requiresSortedKeys: false).decode(payload)
        } catch {
            throw .invalidExtensionHandshake(error.description)
        }
        let fields = try BencodeFields(node, what: "the handshake", invalid: PeerWireError.invalidExtensionHandshake)

        var extensions: [String: UInt8] = [:]
        for entry in try fields.dictionary("m") ?? [] {
            // A name that is not UTF-8 cannot be one Shoal asks for; it is skipped, not refused.
            guard let name = String(validating: entry.key, as: UTF8.self) else { continue }
            guard case .integer(let number) = entry.value.content, let id = UInt8(exactly: number) else {
                throw .invalidExtensionHandshake("'m' entry '\(name)' is not an ID in 0...255")
            }
            extensions[name] = id
        }
        self.extensions = extensions
        self.client = try fields.bytes("v").map { String(decoding: $0, as: UTF8.self) }
        self.listenPort = try fields.integer("p", in: 1...UInt16.max)
        self.requestQueueLength = try fields.integer("reqq", in: 1...Int.max)
        self.metadataSize = try fields.integer("metadata_size", in: 1...Int.max)
        if let address = try fields.bytes("yourip") {
            guard address.count == 4 || address.count == 16 else {
                throw .invalidExtensionHandshake("'yourip' has \(address.count) bytes (expected 4 or 16)")
            }
            self.yourIP = address
        } else {
            self.yourIP = nil
        }
        self.uploadOnly = fields.optionalInteger("upload_only").map { $0 != 0 }
        self.completeAgo = fields.optionalInteger("complete_ago").flatMap { Int(exactly: $0) }
    }

    /// Decodes the payload of extended message 0 as it comes from the parser.
    public init(payload: ByteBuffer) throws(PeerWireError) {
        try self.init(payload: Array(payload.readableBytesView))
    }

    /// The canonical bencoding (sorted keys), without the extended message header.
    public func encoded() -> [UInt8] {
        var entries: [[UInt8]: BencodeValue] = [:]
        var names: [[UInt8]: BencodeValue] = [:]
        for (name, id) in extensions { names[Array(name.utf8)] = .integer(Int64(id)) }
        entries[Array("m".utf8)] = .dictionary(names)
        if let client { entries[Array("v".utf8)] = .string(client) }
        if let listenPort { entries[Array("p".utf8)] = .integer(Int64(listenPort)) }
        if let requestQueueLength { entries[Array("reqq".utf8)] = .integer(Int64(requestQueueLength)) }
        if let metadataSize { entries[Array("metadata_size".utf8)] = .integer(Int64(metadataSize)) }
        if let yourIP { entries[Array("yourip".utf8)] = .bytes(yourIP) }
        if let uploadOnly { entries[Array("upload_only".utf8)] = .integer(uploadOnly ? 1 : 0) }
        if let completeAgo { entries[Array("complete_ago".utf8)] = .integer(Int64(completeAgo)) }
        return BencodeEncoder.encode(.dictionary(entries))
    }

    /// The extended message carrying this handshake.
    public var message: PeerMessage {
        .extended(id: Self.extendedMessageID, payload: ByteBuffer(bytes: encoded()))
    }
}
