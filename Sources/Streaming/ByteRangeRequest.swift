/// The byte range a request's `Range` header asks for (RFC 9110 §14.1.2, §14.2), before it is resolved against
/// a file's length.
///
/// Parsing is lenient where that is harmless and refuses everything else by returning nil, which means
/// *ignore the header and send the whole file* — RFC 9110 §14.2 lets a server ignore `Range`, and a 200 with
/// the full content is always a correct answer:
///
/// - The unit is `bytes` in any case; any other unit (`items=0-5`) is ignored.
/// - Spaces and tabs are accepted around the value, the `=`, each list element and the `-`; empty list
///   elements are skipped (`bytes=0-1,` is `bytes=0-1`, as RFC 9110 §5.6.1.2 asks).
/// - Several ranges (`bytes=0-1,5-6`) are ignored: Shoal never sends `multipart/byteranges`, and answering only
///   some of the ranges with a single-part 206 is not what RFC 9110 §14.2 describes, whereas ignoring the
///   header is. Players ask for one range at a time.
/// - A syntax error (`bytes=5-2` where the last position is before the first, `bytes=--5`, `bytes=+5-`,
///   `bytes=`, a missing `=`, non-ASCII digits) is ignored.
/// - Positions larger than `Int64.max` saturate to `Int64.max`: a file is never that long, so a huge last
///   position still means "to the end", a huge first position is still past the end (416), and a huge suffix
///   still means "the whole file". Nothing can overflow.
/// - Values longer than `HTTPServingLimits.maximumRangeHeaderBytes` are ignored.
public enum ByteRangeRequest: Sendable, Equatable, Hashable {
    /// `bytes=first-last` (both inclusive), or `bytes=first-` when `last` is nil (to the end).
    case range(first: Int64, last: Int64?)
    /// `bytes=-length`: the last `length` bytes.
    case suffix(length: Int64)

    /// Parses a `Range` field value; nil when the header is to be ignored (see the type's documentation).
    public init?(header: some StringProtocol) {
        let bytes = Array(header.utf8)
        guard bytes.count <= HTTPServingLimits.maximumRangeHeaderBytes,
            let equals = bytes.firstIndex(of: UInt8(ascii: "="))
        else { return nil }
        guard HeaderText.equalsIgnoringCase(HeaderText.trimmed(bytes[..<equals]), "bytes") else { return nil }
        let elements = bytes[(equals + 1)...].split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            .map(HeaderText.trimmed)
            .filter { !$0.isEmpty }
        guard elements.count == 1, let spec = Self(rangeSpec: elements[0]) else { return nil }
        self = spec
    }

    /// One `range-spec`: `first-last`, `first-` or `-suffix`.
    private init?(rangeSpec: ArraySlice<UInt8>) {
        guard let dash = rangeSpec.firstIndex(of: UInt8(ascii: "-")) else { return nil }
        let before = HeaderText.trimmed(rangeSpec[..<dash])
        let after = HeaderText.trimmed(rangeSpec[(dash + 1)...])
        if before.isEmpty {
            guard let length = HeaderText.saturatingInteger(after) else { return nil }
            self = .suffix(length: length)
            return
        }
        guard let first = HeaderText.saturatingInteger(before) else { return nil }
        if after.isEmpty {
            self = .range(first: first, last: nil)
            return
        }
        // RFC 9110 §14.1.1: a range whose last position is before its first is invalid.
        guard let last = HeaderText.saturatingInteger(after), last >= first else { return nil }
        self = .range(first: first, last: last)
    }

    /// The part of a file of `entityLength` bytes this range selects (RFC 9110 §14.1.1):
    ///
    /// - `first-last` and `first-`: satisfiable when `first` is before the end; `last` is clamped to the last byte.
    /// - `-suffix`: the last `suffix` bytes, or the whole file when it is shorter; `-0` is never satisfiable.
    /// - An empty file: no `first-last` or `first-` range is satisfiable (416, `bytes */0`). A non-zero suffix is
    ///   satisfiable by RFC 9110's definition but selects nothing, and `Content-Range` has no way to say so; RFC
    ///   9110 §14.2 lets a server ignore `Range` for a representation with no content, so the answer is `.full`
    ///   (200, `Content-Length: 0`).
    ///
    /// A negative `entityLength` is treated as 0.
    public func resolve(entityLength: Int64) -> ByteRangeResolution {
        let length = max(0, entityLength)
        switch self {
        case .range(let first, let last):
            guard first < length else { return .unsatisfiable }
            let end = min(last ?? .max, length - 1)
            return .partial(first..<(end + 1))
        case .suffix(let suffixLength):
            guard suffixLength > 0 else { return .unsatisfiable }
            guard length > 0 else { return .full }
            return .partial((length - min(suffixLength, length))..<length)
        }
    }

    /// What a request with this `Range` value (nil: none) gets from a file of `entityLength` bytes: `.full` when
    /// the header is absent or ignored, else the header's resolution.
    public static func resolve(header: String?, entityLength: Int64) -> ByteRangeResolution {
        guard let header, let request = ByteRangeRequest(header: header) else { return .full }
        return request.resolve(entityLength: entityLength)
    }
}
