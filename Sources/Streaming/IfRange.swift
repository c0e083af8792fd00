/// An `If-Range` field value (RFC 9110 §13.1.5): "send me this range if the file is still the one I have,
/// else all of it".
public enum IfRange: Sendable, Equatable, Hashable {
    /// An entity tag (strong, if the client follows the RFC).
    case entityTag(EntityTag)
    /// Anything that is not an entity tag, meant as an HTTP-date. Not read further: the node sends no
    /// `Last-Modified`, so a date can never be a strong validator of its files.
    case date(String)

    /// Nil when the value is longer than `HTTPServingLimits.maximumConditionalHeaderBytes`, or starts like an
    /// entity tag but is not exactly one.
    public init?(header: some StringProtocol) {
        let bytes = Array(header.utf8)
        guard bytes.count <= HTTPServingLimits.maximumConditionalHeaderBytes else { return nil }
        let trimmed = Array(HeaderText.trimmed(bytes[...]))
        guard trimmed.first == UInt8(ascii: "\"") || trimmed.starts(with: "W/".utf8) else {
            self = .date(String(decoding: trimmed, as: UTF8.self))
            return
        }
        guard let (tag, end) = EntityTag.read(trimmed, at: 0), end == trimmed.count else { return nil }
        self = .entityTag(tag)
    }

    /// Whether the range may be applied to the file whose tag is `current`: only when this is an entity tag
    /// that matches it strongly. A weak tag or a date never does (RFC 9110 §13.1.5), and then the whole file is
    /// sent with 200.
    public func allowsRange(for current: EntityTag) -> Bool {
        guard case .entityTag(let tag) = self else { return false }
        return tag.matchesStrongly(current)
    }

    /// Whether a request with this `If-Range` value (nil: none) may have its range applied: yes without the
    /// header, else only when it parses and allows it.
    public static func allowsRange(header: String?, for current: EntityTag) -> Bool {
        guard let header else { return true }
        return IfRange(header: header)?.allowsRange(for: current) ?? false
    }
}
