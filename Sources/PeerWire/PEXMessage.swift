import Bencode
import NIOCore

/// A BEP 11 `ut_pex` message: peers the sender connected to (`added`, `added6`, with a flags byte each
/// in `added.f` and `added6.f`) and peers it disconnected from (`dropped`, `dropped6`) since its last
/// message, in compact form (6 bytes for IPv4, 18 for IPv6).
///
/// Decoding ignores unknown keys and accepts keys in any order, but a known key with the wrong type, a
/// list whose length is not a whole number of entries, a flags string that does not match its list, or
/// a list longer than `maximumDecodedEntries` is refused. Encoding writes canonical bencode and at
/// most `maximumAdded` and `maximumDropped` peers, as libtorrent does.
public struct PEXMessage: Hashable, Sendable {
    /// The extension's name in the `m` dictionary of the extension handshake.
    public static let extensionName = "ut_pex"
    /// The ID Shoal asks peers to send ut_pex messages with (libtorrent's choice).
    public static let localExtensionID: UInt8 = 1
    /// Peers added per message at most, both families together (BEP 11 and libtorrent: 50).
    public static let maximumAdded = 50
    /// Peers dropped per message at most, both families together.
    public static let maximumDropped = 50
    /// The longest list read from a peer, per key. Longer than what Shoal sends, so that a client
    /// with a higher cap still interoperates (the receiver keeps only what it wants); short enough that
    /// a hostile message costs little.
    public static let maximumDecodedEntries = 200

    /// The flags byte of an added peer (BEP 11).
    public struct Flags: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// The peer prefers encrypted connections.
        public static let encryption = Flags(rawValue: 0x01)
        /// The peer is a seed (or upload-only).
        public static let seed = Flags(rawValue: 0x02)
        public static let uTP = Flags(rawValue: 0x04)
        /// The peer supports `ut_holepunch`.
        public static let holepunch = Flags(rawValue: 0x08)
        /// The sender reached the peer with an outgoing connection: it accepts connections.
        public static let connectable = Flags(rawValue: 0x10)
    }

    /// An IPv4 or IPv6 address and a port, as the compact form carries them.
    public struct Address: Hashable, Sendable, CustomStringConvertible {
        /// 4 or 16 bytes, network order.
        public let addressBytes: [UInt8]
        public let port: UInt16

        /// Nil unless `addressBytes` holds 4 or 16 bytes.
        public init?(addressBytes: [UInt8], port: UInt16) {
            guard addressBytes.count == 4 || addressBytes.count == 16 else { return nil }
            self.addressBytes = addressBytes
            self.port = port
        }

        public var isIPv6: Bool { addressBytes.count == 16 }

        public var compactBytes: [UInt8] { addressBytes + [UInt8(port >> 8), UInt8(port & 0xFF)] }

        public var description: String {
            if !isIPv6 { return addressBytes.map(String.init).joined(separator: ".") + ":\(port)" }
            let groups = stride(from: 0, to: 16, by: 2).map {
                String(UInt16(addressBytes[$0]) << 8 | UInt16(addressBytes[$0 + 1]), radix: 16)
            }
            return "[" + groups.joined(separator: ":") + "]:\(port)"
        }
    }

    public struct Peer: Hashable, Sendable {
        public var address: Address
        public var flags: Flags

        public init(address: Address, flags: Flags = []) {
            self.address = address
            self.flags = flags
        }
    }

    /// Why a ut_pex payload was refused.
    public enum DecodingError: Error, Equatable, Sendable, CustomStringConvertible {
        case bencode(BencodeError)
        case notADictionary
        case wrongType(key: String)
        case misaligned(key: String, length: Int, entrySize: Int)
        /// `added.f` or `added6.f` has a length other than the number of peers in its list.
        case flagsMismatch(key: String, flags: Int, peers: Int)
        case tooManyEntries(key: String, count: Int, limit: Int)

        public var description: String {
            let what: String
            switch self {
            case .bencode(let error): what = "not valid bencode: \(error)"
            case .notADictionary: what = "not a dictionary"
            case .wrongType(let key): what = "'\(key)' is not a byte string"
            case .misaligned(let key, let length, let entrySize):
                what = "'\(key)' is \(length) bytes, not a multiple of \(entrySize)"
            case .flagsMismatch(let key, let flags, let peers): what = "'\(key)' has \(flags) flags for \(peers) peers"
            case .tooManyEntries(let key, let count, let limit):
                what = "'\(key)' lists \(count) peers, more than \(limit)"
            }
            return "invalid ut_pex message: \(what)"
        }
    }

    public var added: [Peer]
    public var dropped: [Address]

    public init(added: [Peer] = [], dropped: [Address] = []) {
        self.added = added
        self.dropped = dropped
    }

    public var isEmpty: Bool { added.isEmpty && dropped.isEmpty }

    // MARK: Decoding

    /// Decodes the payload of an extended message (after the extension ID byte).
    public static func decode(_ payload: [UInt8]) throws(DecodingError) -> PEXMessage {
        let node: BencodeNode
        do {
            // Depth 2 is all a PEX message needs; unknown keys deeper than that are still skipped.
            node = try BencodeDecoder(maximumDepth: 4, requiresSortedKeys: false).decode(payload)
        } catch {
            throw .bencode(error)
        }
        guard case .dictionary(let entries) = node.content else { throw .notADictionary }
        func bytes(_ key: String) throws(DecodingError) -> [UInt8] {
            let keyBytes = Array(key.utf8)
            guard let value = entries.first(where: { $0.key == keyBytes })?.value else { return [] }
            guard case .bytes(let bytes) = value.content else { throw .wrongType(key: key) }
            return bytes
        }
        let added4 = try addresses(bytes("added"), size: 6, key: "added")
        let added6 = try addresses(bytes("added6"), size: 18, key: "added6")
        let peers4 = try peers(added4, flags: bytes("added.f"), key: "added.f")
        let peers6 = try peers(added6, flags: bytes("added6.f"), key: "added6.f")
        let dropped4 = try addresses(bytes("dropped"), size: 6, key: "dropped")
        let dropped6 = try addresses(bytes("dropped6"), size: 18, key: "dropped6")
        return PEXMessage(added: peers4 + peers6, dropped: dropped4 + dropped6)
    }

    /// Decodes the payload of an extended message as it comes from the parser.
    public static func decode(_ payload: ByteBuffer) throws(DecodingError) -> PEXMessage {
        try decode(Array(payload.readableBytesView))
    }

    private static func addresses(_ bytes: [UInt8], size: Int, key: String) throws(DecodingError) -> [Address] {
        guard bytes.count % size == 0 else { throw .misaligned(key: key, length: bytes.count, entrySize: size) }
        let count = bytes.count / size
        guard count <= maximumDecodedEntries else {
            throw .tooManyEntries(key: key, count: count, limit: maximumDecodedEntries)
        }
        return (0..<count).map { index in
            let start = index * size
            let port = UInt16(bytes[start + size - 2]) << 8 | UInt16(bytes[start + size - 1])
            return Address(addressBytes: Array(bytes[start..<start + size - 2]), port: port)!
        }
    }

    /// Pairs addresses with their flags. A missing flags string means no flags (some clients omit
    /// it); one of another length means the sender is broken.
    private static func peers(_ addresses: [Address], flags: [UInt8], key: String) throws(DecodingError) -> [Peer] {
        if flags.isEmpty { return addresses.map { Peer(address: $0) } }
        guard flags.count == addresses.count else {
            throw .flagsMismatch(key: key, flags: flags.count, peers: addresses.count)
        }
        return zip(addresses, flags).map { Peer(address: $0, flags: Flags(rawValue: $1)) }
    }

    // MARK: Encoding

    /// The canonical bencoding: the first `maximumAdded` added and `maximumDropped` dropped peers,
    /// each family in its own keys. Empty lists are written as empty strings, as libtorrent does.
    public func encoded() -> [UInt8] {
        let added = self.added.prefix(Self.maximumAdded)
        let dropped = self.dropped.prefix(Self.maximumDropped)
        let added4 = added.filter { !$0.address.isIPv6 }
        let added6 = added.filter { $0.address.isIPv6 }
        let dictionary: BencodeValue = [
            "added": .bytes(added4.flatMap(\.address.compactBytes)),
            "added.f": .bytes(added4.map(\.flags.rawValue)),
            "added6": .bytes(added6.flatMap(\.address.compactBytes)),
            "added6.f": .bytes(added6.map(\.flags.rawValue)),
            "dropped": .bytes(dropped.filter { !$0.isIPv6 }.flatMap(\.compactBytes)),
            "dropped6": .bytes(dropped.filter(\.isIPv6).flatMap(\.compactBytes)),
        ]
        return BencodeEncoder.encode(dictionary)
    }

    /// The extended message to send, with the ID the peer gave `ut_pex` in its handshake.
    public func message(extensionID: UInt8) -> PeerMessage {
        .extended(id: extensionID, payload: ByteBuffer(bytes: encoded()))
    }
}
