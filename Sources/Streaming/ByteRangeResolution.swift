/// What a `Range` request gets from a file of known length.
public enum ByteRangeResolution: Sendable, Equatable, Hashable {
    /// The whole file, 200: there was no `Range`, or it is ignored.
    case full
    /// These bytes of the file (never empty), 206 with `Content-Range: bytes a-b/length`.
    case partial(Range<Int64>)
    /// Nothing the request asks for exists, 416 with `Content-Range: bytes */length`.
    case unsatisfiable
}
