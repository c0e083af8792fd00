/// What follows the headers of an answer.
public enum HLSResponseBody: Sendable, Equatable, Hashable {
    /// Nothing: HEAD, 204, 304.
    case none
    /// These bytes of the file (all of it for a 200, possibly none for an empty file).
    case file(Range<Int64>)
    /// A short UTF-8 message for a person (errors; `Content-Type: text/plain; charset=utf-8`).
    case text(String)
}
