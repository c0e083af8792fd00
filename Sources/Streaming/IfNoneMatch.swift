/// An `If-None-Match` field value (RFC 9110 §13.1.2): `*` or a list of entity tags.
public enum IfNoneMatch: Sendable, Equatable, Hashable {
    /// `*`: any current representation.
    case any
    /// One or more tags.
    case tags([EntityTag])

    /// Nil when the value is malformed (an unquoted tag, `*` inside a list, an empty list, junk between tags) or
    /// longer than `HTTPServingLimits.maximumConditionalHeaderBytes`. The caller then ignores the header and
    /// answers in full, which is always correct; a 304 needs a tag that really matched. Spaces, tabs and empty
    /// list elements around the tags are accepted. Pass repeated `If-None-Match` fields joined with `, `.
    public init?(header: some StringProtocol) {
        let bytes = Array(header.utf8)
        guard bytes.count <= HTTPServingLimits.maximumConditionalHeaderBytes else { return nil }
        if HeaderText.trimmed(bytes[...]).elementsEqual("*".utf8) {
            self = .any
            return
        }
        var tags: [EntityTag] = []
        var index = 0
        var expectingTag = true
        while index < bytes.count {
            let byte = bytes[index]
            if HeaderText.isWhitespace(byte) {
                index += 1
            } else if byte == UInt8(ascii: ",") {
                expectingTag = true
                index += 1
            } else {
                guard expectingTag, let (tag, end) = EntityTag.read(bytes, at: index) else { return nil }
                tags.append(tag)
                index = end
                expectingTag = false
            }
        }
        guard !tags.isEmpty else { return nil }
        self = .tags(tags)
    }

    /// Whether `current` (the file's tag) is among the listed ones, by weak comparison (RFC 9110 §13.1.2); `*`
    /// matches any file. A match makes the condition false: a GET or HEAD is answered 304 Not Modified.
    public func matches(_ current: EntityTag) -> Bool {
        switch self {
        case .any: return true
        case .tags(let tags): return tags.contains { $0.matchesWeakly(current) }
        }
    }
}
