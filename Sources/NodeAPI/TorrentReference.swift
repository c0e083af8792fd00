import TorrentModel

/// How a user names one torrent of the node's library: its infohash as 40 hex digits, or a prefix of
/// it of at least ``minimumPrefixLength`` hex digits that matches exactly one torrent. Either case is
/// accepted; surrounding whitespace is ignored.
///
/// ```
/// let reference = try TorrentReference(parsing: "3F2a9c")
/// let infoHash = try reference.resolve(in: library.keys)
/// ```
public struct TorrentReference: Hashable, Sendable, CustomStringConvertible {
    /// Shorter prefixes match too many torrents by chance to be worth typing (6 digits: one in 16 million).
    public static let minimumPrefixLength = 6

    /// The reference as lowercase hex digits, 6 to 40 of them.
    public let text: String

    /// What a list of infohashes holds for a reference.
    public enum Match: Equatable, Sendable {
        /// Exactly one infohash starts with the reference.
        case unique(InfoHash)
        /// Several do; they are listed in ascending order.
        case ambiguous([InfoHash])
        /// None does.
        case none
    }

    /// Parses a reference; throws ``NodeControlError/invalidInput(_:)`` for anything that is not 6 to
    /// 40 hex digits.
    public init(parsing input: String) throws(NodeControlError) {
        var trimmed = Substring(input)
        while trimmed.first?.isWhitespace == true { trimmed.removeFirst() }
        while trimmed.last?.isWhitespace == true { trimmed.removeLast() }
        guard !trimmed.isEmpty else {
            throw .invalidInput("no torrent given: name it by its infohash or at least 6 of its first hex digits")
        }
        guard trimmed.utf8.allSatisfy(Self.isHexDigit) else {
            throw .invalidInput(
                "'\(input)' is not an infohash: use its 40 hex digits or at least 6 of its first hex digits")
        }
        guard trimmed.utf8.count >= Self.minimumPrefixLength else {
            throw .invalidInput(
                "'\(input)' is too short: give at least \(Self.minimumPrefixLength) hex digits of the infohash")
        }
        guard trimmed.utf8.count <= InfoHash.byteCount * 2 else {
            throw .invalidInput("'\(input)' is longer than an infohash (40 hex digits)")
        }
        self.text = String(trimmed).lowercased()
    }

    /// A reference that names the given infohash in full.
    public init(_ infoHash: InfoHash) {
        self.text = infoHash.hex
    }

    /// True when the reference is a whole infohash rather than a prefix.
    public var isComplete: Bool { text.utf8.count == InfoHash.byteCount * 2 }

    /// The infohash a complete reference names; nil for a prefix.
    public var infoHash: InfoHash? { isComplete ? InfoHash(text) : nil }

    public var description: String { text }

    /// Whether the given infohash starts with this reference.
    public func matches(_ infoHash: InfoHash) -> Bool {
        infoHash.hex.hasPrefix(text)
    }

    /// Looks the reference up in a list of infohashes (repeats count once).
    public func match(in infoHashes: some Sequence<InfoHash>) -> Match {
        let found = Set(infoHashes.filter(matches)).sorted()
        switch found.count {
        case 0: return .none
        case 1: return .unique(found[0])
        default: return .ambiguous(found)
        }
    }

    /// The one infohash the reference names; throws ``NodeControlError/unknownTorrent(reference:)``
    /// or ``NodeControlError/ambiguousReference(reference:matches:)`` otherwise.
    public func resolve(in infoHashes: some Sequence<InfoHash>) throws(NodeControlError) -> InfoHash {
        switch match(in: infoHashes) {
        case .unique(let infoHash): return infoHash
        case .ambiguous(let matches): throw .ambiguousReference(reference: text, matches: matches.map(\.hex))
        case .none: throw .unknownTorrent(reference: text)
        }
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
            UInt8(ascii: "A")...UInt8(ascii: "F"):
            return true
        default:
            return false
        }
    }
}
