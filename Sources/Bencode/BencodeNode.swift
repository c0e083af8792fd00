/// A decoded value together with the exact byte range it occupied in the input.
///
/// The span is what lets a torrent's infohash be the SHA-1 of the `info` bytes as received,
/// even when a foreign encoder wrote them in a form Shoal would not write itself.
public struct BencodeNode: Sendable {
    public enum Content: Sendable {
        case integer(Int64)
        case bytes([UInt8])
        case list([BencodeNode])
        /// Entries in the order they appeared in the input.
        case dictionary([Entry])
    }

    public struct Entry: Sendable {
        public var key: [UInt8]
        public var value: BencodeNode
    }

    public var content: Content
    /// Byte offsets in the decoded input, from the first byte of the value to one past its last.
    public var span: Range<Int>

    public init(content: Content, span: Range<Int>) {
        self.content = content
        self.span = span
    }

    /// The dictionary entry for `key`, or nil when this is not a dictionary or has no such key.
    public subscript(key: String) -> BencodeNode? {
        guard case .dictionary(let entries) = content else { return nil }
        let keyBytes = Array(key.utf8)
        return entries.first { $0.key == keyBytes }?.value
    }

    /// The plain value, without spans.
    public var value: BencodeValue {
        switch content {
        case .integer(let value): return .integer(value)
        case .bytes(let value): return .bytes(value)
        case .list(let elements): return .list(elements.map(\.value))
        case .dictionary(let entries):
            var dictionary: [[UInt8]: BencodeValue] = [:]
            dictionary.reserveCapacity(entries.count)
            for entry in entries { dictionary[entry.key] = entry.value.value }
            return .dictionary(dictionary)
        }
    }
}
