import TorrentModel

/// Percent-encoding of URL path segments (RFC 3986 §2.1), on UTF-8 bytes.
enum PathSegmentEncoding {
    /// Why a segment could not be decoded.
    enum Failure: Error, Equatable {
        /// A `%` not followed by two hex digits.
        case malformedEscape
        /// A raw (unencoded) control character: `byte`.
        case rawControlCharacter(UInt8)
        /// The decoded bytes are not UTF-8.
        case invalidUTF8
    }

    /// Decodes `%XX` escapes (hex digits in either case) and checks the result is UTF-8. `+` stays `+`: it
    /// means a space only in HTML form queries, never in a path. Raw control characters are refused, as no
    /// client sends them unencoded.
    static func decode(_ segment: some StringProtocol) -> Result<String, Failure> {
        let input = Array(segment.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < input.count,
                    let high = Hex.value(of: input[index + 1]), let low = Hex.value(of: input[index + 2])
                else { return .failure(.malformedEscape) }
                output.append(high << 4 | low)
                index += 3
            } else {
                if byte < 0x20 || byte == 0x7F { return .failure(.rawControlCharacter(byte)) }
                output.append(byte)
                index += 1
            }
        }
        guard let text = String(validating: output, as: UTF8.self) else { return .failure(.invalidUTF8) }
        return .success(text)
    }

    /// Encodes everything but RFC 3986's unreserved characters (`A–Z a–z 0–9 - . _ ~`), with uppercase hex
    /// digits, so the result is safe as one path segment anywhere: `/`, `?`, `#`, `%`, spaces and non-ASCII
    /// are all escaped.
    static func encode(_ segment: some StringProtocol) -> String {
        PercentEncoding.encode(segment.utf8)
    }
}
