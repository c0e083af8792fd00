/// Cuts playlist text into lines (RFC 8216 §4.1) and rejects text no valid playlist can contain, before any
/// tag is looked at. Works on UTF-8 bytes: in a Swift `String`, "\r\n" is a single `Character`.
enum PlaylistScanner {
    static func lines(of text: String) throws(PlaylistError) -> [PlaylistLine] {
        // `utf8.count` is O(1) for native strings, so the size check comes before any copy.
        let size = text.utf8.count
        guard size <= PlaylistLimits.maximumBytes else {
            throw .tooLarge(bytes: size, limit: PlaylistLimits.maximumBytes)
        }
        return try lines(of: Array(text.utf8))
    }

    static func lines(of bytes: [UInt8]) throws(PlaylistError) -> [PlaylistLine] {
        guard bytes.count <= PlaylistLimits.maximumBytes else {
            throw .tooLarge(bytes: bytes.count, limit: PlaylistLimits.maximumBytes)
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { throw .byteOrderMark }
        var lines: [PlaylistLine] = []
        var number = 0
        var start = 0
        while start < bytes.count {
            number += 1
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            var contentEnd = end
            // CRLF ends a line too; a CR anywhere else is a control character.
            if end < bytes.count, contentEnd > start, bytes[contentEnd - 1] == UInt8(ascii: "\r") { contentEnd -= 1 }
            if let line = try line(number: number, bytes[start..<contentEnd]) { lines.append(line) }
            start = end + 1
        }
        return lines
    }

    private static func line(number: Int, _ raw: ArraySlice<UInt8>) throws(PlaylistError) -> PlaylistLine? {
        guard raw.count <= PlaylistLimits.maximumLineBytes else {
            throw .lineTooLong(line: number, bytes: raw.count, limit: PlaylistLimits.maximumLineBytes)
        }
        var index = raw.startIndex
        while index < raw.endIndex {
            let byte = raw[index]
            if byte < 0x20 || byte == 0x7F { throw .controlCharacter(line: number, scalar: UInt32(byte)) }
            // U+0080...U+009F, the C1 controls, are C2 80...C2 9F in UTF-8.
            if byte == 0xC2, index + 1 < raw.endIndex, (0x80...0x9F).contains(raw[index + 1]) {
                throw .controlCharacter(line: number, scalar: UInt32(raw[index + 1]))
            }
            index += 1
        }
        // Trailing spaces would otherwise turn "#EXT-X-ENDLIST " into an unknown tag and go unnoticed.
        var trimmed = raw
        while trimmed.last == UInt8(ascii: " ") { trimmed = trimmed.dropLast() }
        guard !trimmed.isEmpty else { return nil }
        guard let text = String(validating: trimmed, as: UTF8.self) else { throw .invalidUTF8(line: number) }
        if text.hasPrefix("#EXT") {
            let body = text.dropFirst()
            guard let colon = body.firstIndex(of: ":") else {
                return PlaylistLine(number: number, content: .tag(name: String(body), value: nil))
            }
            let value = String(body[body.index(after: colon)...])
            return PlaylistLine(number: number, content: .tag(name: String(body[..<colon]), value: value))
        }
        if text.hasPrefix("#") { return nil }
        return PlaylistLine(number: number, content: .uri(text))
    }
}
