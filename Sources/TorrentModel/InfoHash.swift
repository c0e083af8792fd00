import Bencode
import Crypto

/// A BitTorrent v1 infohash: the SHA-1 of the bencoded `info` dictionary.
public struct InfoHash: Hashable, Sendable, Comparable, CustomStringConvertible {
    public static let byteCount = 20

    /// Exactly 20 bytes.
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = bytes
    }

    /// The SHA-1 of the given `info` bytes, exactly as they were received or written.
    public init(hashingInfo infoBytes: [UInt8]) {
        self.bytes = Array(Insecure.SHA1.hash(data: infoBytes))
    }

    /// Parses 40 hexadecimal digits (either case) or 32 base32 characters (RFC 4648, either case).
    public init?(_ text: some StringProtocol) {
        switch text.count {
        case 40:
            guard let bytes = Hex.decode(text) else { return nil }
            self.bytes = bytes
        case 32:
            guard let bytes = Base32.decode(text), bytes.count == Self.byteCount else { return nil }
            self.bytes = bytes
        default:
            return nil
        }
    }

    /// Lowercase hexadecimal, the form trackers, clients and magnet links show.
    public var hex: String { Hex.encode(bytes) }

    /// Uppercase base32 without padding, the other form magnet links accept.
    public var base32: String { Base32.encode(bytes) }

    public var description: String { hex }

    /// The 20 bytes in one go: hashing them one `UInt8` at a time showed in the tracker's profile.
    public func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    public static func == (lhs: InfoHash, rhs: InfoHash) -> Bool {
        lhs.bytes == rhs.bytes
    }

    public static func < (lhs: InfoHash, rhs: InfoHash) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}
