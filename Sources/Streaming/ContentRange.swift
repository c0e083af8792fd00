/// A `Content-Range` field value (RFC 9110 §14.4) for a single-part answer.
public enum ContentRange: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// `bytes first-last/completeLength` of a 206; `range` must not be empty.
    case bytes(Range<Int64>, completeLength: Int64)
    /// `bytes */completeLength` of a 416.
    case unsatisfied(completeLength: Int64)

    /// The field value, for example `bytes 0-499/1234` or `bytes */1234`.
    public var headerValue: String {
        switch self {
        case .bytes(let range, let completeLength):
            return "bytes \(range.lowerBound)-\(range.upperBound - 1)/\(completeLength)"
        case .unsatisfied(let completeLength):
            return "bytes */\(completeLength)"
        }
    }

    public var description: String { headerValue }
}
