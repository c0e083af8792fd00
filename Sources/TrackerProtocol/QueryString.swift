import TorrentModel

/// URL query strings as BitTorrent uses them: values are raw bytes, percent-encoded (RFC 3986).
/// `+` is an ordinary byte here, not a space: trackers and clients never form-encode.
public enum QueryString {
    /// One `name=value` pair, the value percent-decoded to bytes.
    public struct Field: Hashable, Sendable {
        public var name: String
        public var value: [UInt8]

        public init(name: String, value: [UInt8]) {
            self.name = name
            self.value = value
        }
    }

    /// Encodes every byte but the RFC 3986 unreserved ones (`A–Z a–z 0–9 - . _ ~`) as `%XX`.
    public static func percentEncode(_ bytes: some Sequence<UInt8>) -> String {
        PercentEncoding.encode(bytes)
    }

    /// Splits a query (the text after `?`) into its fields, in order; empty pieces between `&` are skipped.
    public static func parse(_ query: some StringProtocol) throws(TrackerProtocolError) -> [Field] {
        let bytes = Array(query.utf8)
        guard bytes.count <= TrackerLimits.maximumQueryLength else {
            throw .queryTooLong(length: bytes.count, limit: TrackerLimits.maximumQueryLength)
        }
        var fields: [Field] = []
        for piece in bytes.split(separator: UInt8(ascii: "&")) {
            let equals = piece.firstIndex(of: UInt8(ascii: "=")) ?? piece.endIndex
            let rawName = piece[piece.startIndex..<equals]
            let rawValue = equals < piece.endIndex ? piece[(equals + 1)...] : []
            let nameText = String(decoding: rawName, as: UTF8.self)
            guard let name = percentDecode(rawName) else { throw .badPercentEncoding(field: nameText) }
            guard let value = percentDecode(rawValue) else { throw .badPercentEncoding(field: nameText) }
            fields.append(Field(name: String(decoding: name, as: UTF8.self), value: value))
        }
        return fields
    }

    /// Appends `query` to a URL that may already have one (a private tracker's `?passkey=…`).
    public static func appending(_ query: String, to url: String) -> String {
        let base = url.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
        guard base.contains("?") else { return base + "?" + query }
        if base.hasSuffix("?") || base.hasSuffix("&") { return base + query }
        return base + "&" + query
    }

    static func percentDecode(_ bytes: ArraySlice<UInt8>) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard bytes.endIndex - index >= 3, let high = HexDigit.value(bytes[index + 1]),
                    let low = HexDigit.value(bytes[index + 2])
                else { return nil }
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(byte)
                index += 1
            }
        }
        return output
    }
}
