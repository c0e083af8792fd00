/// A sub-range of a resource, written `<length>[@<offset>]` (RFC 8216 §4.3.2.2).
public struct ByteRange: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var length: Int
    /// Where the range starts; when absent, right after the previous range of the same resource.
    public var offset: Int?

    public init(length: Int, offset: Int? = nil) {
        self.length = length
        self.offset = offset
    }

    /// Parses `<n>[@<o>]`, both decimal integers; nil for anything else.
    init?(parsing text: Substring) {
        let parts = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        guard let length = DecimalText.integer(parts[0]) else { return nil }
        var offset: Int?
        if parts.count == 2 {
            guard let value = DecimalText.integer(parts[1]) else { return nil }
            offset = value
        }
        self.init(length: length, offset: offset)
    }

    public var description: String {
        if let offset { return "\(length)@\(offset)" }
        return "\(length)"
    }
}
