/// The head of an HTTP/1.x request, as much of it as a tracker reads: the request line, `Connection`,
/// and whether a body follows (`Content-Length` above 0 or any `Transfer-Encoding`). Parsed on the raw
/// bytes: this runs once per announce.
struct RequestHead {
    struct Request {
        var method: Substring
        var target: Substring
        var isHTTP10: Bool
        var keepAlive: Bool
        var hasBody: Bool
    }

    /// Bytes of the head, blank line included.
    let length: Int
    /// Nil when the request line or a header is malformed.
    let request: Request?

    init(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) {
        length = bytes.count
        request = Self.parse(UnsafeBufferPointer(rebasing: bytes))
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Request? {
        var lines = LineReader(bytes: bytes)
        guard let requestLine = lines.next() else { return nil }
        guard let firstSpace = requestLine.firstIndex(of: UInt8(ascii: " ")) else { return nil }
        let afterMethod = requestLine[(firstSpace + 1)...]
        guard let secondSpace = afterMethod.firstIndex(of: UInt8(ascii: " ")) else { return nil }
        let method = requestLine[..<firstSpace]
        let target = afterMethod[..<secondSpace]
        let version = afterMethod[(secondSpace + 1)...]
        guard !method.isEmpty, target.first == UInt8(ascii: "/") else { return nil }
        let isHTTP10: Bool
        if version.elementsEqual("HTTP/1.1".utf8) {
            isHTTP10 = false
        } else if version.elementsEqual("HTTP/1.0".utf8) {
            isHTTP10 = true
        } else {
            return nil
        }
        var keepAlive = !isHTTP10
        var hasBody = false
        while let line = lines.next() {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return nil }
            let name = line[..<colon]
            let value = trimmed(line[(colon + 1)...])
            if equalsIgnoringCase(name, "connection") {
                if contains(value, "close") {
                    keepAlive = false
                } else if contains(value, "keep-alive") {
                    keepAlive = true
                }
            } else if equalsIgnoringCase(name, "content-length") {
                guard !value.isEmpty, value.count <= 18,
                    value.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
                else { return nil }
                if value.contains(where: { $0 != UInt8(ascii: "0") }) { hasBody = true }
            } else if equalsIgnoringCase(name, "transfer-encoding") {
                hasBody = true
            }
        }
        return Request(
            method: text(method), target: text(target), isHTTP10: isHTTP10, keepAlive: keepAlive, hasBody: hasBody)
    }

    /// The lines of the head without their CRLF (or bare LF), stopping at the blank line.
    private struct LineReader {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        mutating func next() -> Slice<UnsafeBufferPointer<UInt8>>? {
            guard position < bytes.count else { return nil }
            let rest = bytes[position...]
            let newline = rest.firstIndex(of: 10) ?? bytes.count
            var end = newline
            if end > position && bytes[end - 1] == 13 { end -= 1 }
            let line = bytes[position..<end]
            position = newline + 1
            return line.isEmpty ? nil : line
        }
    }

    private static func text(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Substring {
        Substring(String(decoding: bytes, as: UTF8.self))
    }

    private static func trimmed(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Slice<UnsafeBufferPointer<UInt8>> {
        var slice = bytes
        while let first = slice.first, first == 32 || first == 9 { slice = slice.dropFirst() }
        while let last = slice.last, last == 32 || last == 9 { slice = slice.dropLast() }
        return slice
    }

    private static func lowercase(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }

    private static func equalsIgnoringCase(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, _ name: StaticString) -> Bool {
        guard bytes.count == name.utf8CodeUnitCount else { return false }
        return name.withUTF8Buffer { expected in zip(bytes, expected).allSatisfy { lowercase($0) == $1 } }
    }

    /// Whether `word` appears in `bytes`, ignoring case (`Connection: Keep-Alive, Upgrade`).
    private static func contains(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, _ word: StaticString) -> Bool {
        word.withUTF8Buffer { expected in
            guard bytes.count >= expected.count else { return false }
            var start = bytes.startIndex
            while start + expected.count <= bytes.endIndex {
                if zip(bytes[start..<(start + expected.count)], expected).allSatisfy({ lowercase($0) == $1 }) {
                    return true
                }
                start += 1
            }
            return false
        }
    }
}
