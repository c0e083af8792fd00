/// The request headers the video routes read, as sent (nil: absent). A field sent on several lines is passed
/// as one value, the lines joined with `, ` (RFC 9110 §5.3).
public struct HLSRequestHeaders: Sendable, Equatable, Hashable {
    public var range: String?
    public var ifNoneMatch: String?
    public var ifRange: String?

    public init(range: String? = nil, ifNoneMatch: String? = nil, ifRange: String? = nil) {
        self.range = range
        self.ifNoneMatch = ifNoneMatch
        self.ifRange = ifRange
    }
}
