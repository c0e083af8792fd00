import TorrentModel

/// An entity tag (RFC 9110 §8.8.3): an opaque validator, strong or weak (`W/`), written in double quotes.
///
/// Equality and matching compare the opaque tags byte for byte.
public struct EntityTag: Sendable, Hashable, CustomStringConvertible {
    /// The text between the quotes.
    public let opaqueTag: String
    public let isWeak: Bool

    /// Nil when `opaqueTag` holds a character RFC 9110's `etagc` does not allow: a double quote, a space or
    /// another control character.
    public init?(opaqueTag: String, isWeak: Bool = false) {
        guard opaqueTag.utf8.allSatisfy(Self.isTagCharacter) else { return nil }
        self.opaqueTag = opaqueTag
        self.isWeak = isWeak
    }

    /// The strong tag of a file of a torrent: `"<infohash hex>-<file index>-<length>"`. A torrent's files never
    /// change (the infohash covers every piece hash), so the same tag means the same bytes on every node, and
    /// the node serves only verified bytes. The file index counts every file of the torrent, pad files too.
    public init(infoHash: InfoHash, fileIndex: Int, length: Int64) {
        self.opaqueTag = "\(infoHash.hex)-\(fileIndex)-\(length)"
        self.isWeak = false
    }

    /// The field value: `"tag"`, or `W/"tag"` when weak.
    public var headerValue: String { (isWeak ? "W/" : "") + "\"" + opaqueTag + "\"" }

    public var description: String { headerValue }

    /// RFC 9110 §8.8.3.2: both strong and the same opaque tag. `If-Range` uses this.
    public func matchesStrongly(_ other: EntityTag) -> Bool {
        !isWeak && !other.isWeak && opaqueTag.utf8.elementsEqual(other.opaqueTag.utf8)
    }

    /// RFC 9110 §8.8.3.2: the same opaque tag, weak or not. `If-None-Match` uses this.
    public func matchesWeakly(_ other: EntityTag) -> Bool {
        opaqueTag.utf8.elementsEqual(other.opaqueTag.utf8)
    }

    public static func == (lhs: EntityTag, rhs: EntityTag) -> Bool {
        lhs.isWeak == rhs.isWeak && lhs.matchesWeakly(rhs)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(isWeak)
        for byte in opaqueTag.utf8 { hasher.combine(byte) }
    }

    /// `etagc = %x21 / %x23-7E / obs-text`.
    static func isTagCharacter(_ byte: UInt8) -> Bool {
        byte == 0x21 || (byte >= 0x23 && byte != 0x7F)
    }

    /// Reads one `entity-tag` at `index` of `bytes`: `[W/] DQUOTE *etagc DQUOTE` (`W` in uppercase only, as
    /// RFC 9110 writes it). Returns the tag and the index after its closing quote; nil for anything else.
    static func read(_ bytes: [UInt8], at index: Int) -> (tag: EntityTag, end: Int)? {
        var position = index
        var isWeak = false
        if position + 1 < bytes.count, bytes[position] == UInt8(ascii: "W"), bytes[position + 1] == UInt8(ascii: "/") {
            isWeak = true
            position += 2
        }
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { return nil }
        let start = position + 1
        guard let close = bytes[start...].firstIndex(where: { !isTagCharacter($0) }),
            bytes[close] == UInt8(ascii: "\"")
        else { return nil }
        let text = String(decoding: bytes[start..<close], as: UTF8.self)
        guard let tag = EntityTag(opaqueTag: text, isWeak: isWeak) else { return nil }
        return (tag, close + 1)
    }
}
