/// Numeric IP addresses as text: parsing and RFC 5952 formatting, without the C library.
enum IPAddressText {
    /// 4 or 16 bytes for a dotted IPv4 or an IPv6 address; nil for anything else (host names, zone ids).
    static func parse(_ text: some StringProtocol) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        if utf8.contains(UInt8(ascii: ":")) { return parseIPv6(utf8[...]) }
        return parseIPv4(utf8[...])
    }

    /// Four decimal parts from 0 to 255 without leading zeros (which some parsers read as octal).
    static func parseIPv4(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        let parts = text.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(isDigit) else { return nil }
            if part.count > 1 && part.first == UInt8(ascii: "0") { return nil }
            let value = part.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            guard value <= 255 else { return nil }
            bytes.append(UInt8(value))
        }
        return bytes
    }

    /// Up to eight groups of 1–4 hex digits, at most one `::`, optionally ending in a dotted IPv4.
    static func parseIPv6(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        let doubleColon = text.firstRange(of: [UInt8(ascii: ":"), UInt8(ascii: ":")])
        let head: ArraySlice<UInt8>
        let tail: ArraySlice<UInt8>?
        if let doubleColon {
            head = text[..<doubleColon.lowerBound]
            tail = text[doubleColon.upperBound...]
            if tail!.firstRange(of: [UInt8(ascii: ":"), UInt8(ascii: ":")]) != nil { return nil }
        } else {
            head = text
            tail = nil
        }
        guard let headBytes = parseGroups(head, allowsIPv4: tail == nil) else { return nil }
        guard let tail else { return headBytes.count == 16 ? headBytes : nil }
        guard let tailBytes = parseGroups(tail, allowsIPv4: true) else { return nil }
        // `::` stands for at least one group of zeros.
        let zeros = 16 - headBytes.count - tailBytes.count
        guard zeros >= 2 else { return nil }
        return headBytes + [UInt8](repeating: 0, count: zeros) + tailBytes
    }

    /// Colon-separated groups (empty text gives no bytes); the last may be a dotted IPv4 address.
    private static func parseGroups(_ text: ArraySlice<UInt8>, allowsIPv4: Bool) -> [UInt8]? {
        if text.isEmpty { return [] }
        let groups = text.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        var bytes: [UInt8] = []
        for (index, group) in groups.enumerated() {
            if allowsIPv4 && index == groups.count - 1 && group.contains(UInt8(ascii: ".")) {
                guard let v4 = parseIPv4(group) else { return nil }
                bytes += v4
                continue
            }
            guard !group.isEmpty, group.count <= 4 else { return nil }
            var value: UInt16 = 0
            for digit in group {
                guard let nibble = HexDigit.value(digit) else { return nil }
                value = value << 4 | UInt16(nibble)
            }
            bytes.append(UInt8(value >> 8))
            bytes.append(UInt8(value & 0xFF))
        }
        return bytes.count <= 16 ? bytes : nil
    }

    static func format(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        // RFC 5952 section 5: IPv4-mapped addresses keep the dotted tail.
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
            return "::ffff:" + bytes[12...].map(String.init).joined(separator: ".")
        }
        let groups = (0..<8).map { UInt16(bytes[2 * $0]) << 8 | UInt16(bytes[2 * $0 + 1]) }
        // The longest run of two or more zero groups becomes `::`; the first wins a tie.
        var best: Range<Int>? = nil
        var index = 0
        while index < 8 {
            guard groups[index] == 0 else {
                index += 1
                continue
            }
            var end = index
            while end < 8 && groups[end] == 0 { end += 1 }
            if end - index >= 2 && end - index > (best?.count ?? 0) { best = index..<end }
            index = end
        }
        let hex = groups.map { String($0, radix: 16) }
        guard let best else { return hex.joined(separator: ":") }
        let head = hex[..<best.lowerBound].joined(separator: ":")
        let tail = hex[best.upperBound...].joined(separator: ":")
        return head + "::" + tail
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
