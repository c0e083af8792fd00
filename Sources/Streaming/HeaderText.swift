/// Small readers for HTTP field values, working on their UTF-8 bytes with the standard library alone.
enum HeaderText {
    /// `OWS` of RFC 9110 §5.6.3: spaces and horizontal tabs.
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    /// `bytes` without leading and trailing spaces and tabs.
    static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while let first = slice.first, isWhitespace(first) { slice = slice.dropFirst() }
        while let last = slice.last, isWhitespace(last) { slice = slice.dropLast() }
        return slice
    }

    /// One or more ASCII digits as an `Int64`; a value beyond `Int64.max` saturates to `Int64.max`, so no
    /// input can overflow. Nil when `bytes` is empty or holds anything but digits (signs included).
    static func saturatingInteger(_ bytes: ArraySlice<UInt8>) -> Int64? {
        guard !bytes.isEmpty else { return nil }
        var value: Int64 = 0
        var saturated = false
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            guard !saturated else { continue }
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = shifted.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            if overflowA || overflowB {
                saturated = true
                value = .max
            } else {
                value = sum
            }
        }
        return value
    }

    /// Whether `bytes` spell `word` in any ASCII case (`word` given in lowercase).
    static func equalsIgnoringCase(_ bytes: ArraySlice<UInt8>, _ word: String) -> Bool {
        bytes.elementsEqual(word.utf8) { byte, expected in asciiLowercased(byte) == expected }
    }

    /// `text` with ASCII letters in lowercase and everything else as it is.
    static func asciiLowercased(_ text: String) -> String {
        String(decoding: text.utf8.map(asciiLowercased), as: UTF8.self)
    }

    private static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }

    /// `text` cut to a length fit for a one-line message, with control characters shown as `?`: request
    /// text may hold anything.
    static func excerpt(_ text: some StringProtocol) -> String {
        let cleaned = String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) ? "?" : $0 }))
        guard cleaned.count > HTTPServingLimits.maximumQuotedCharacters else { return cleaned }
        return String(cleaned.prefix(HTTPServingLimits.maximumQuotedCharacters)) + "…"
    }
}
