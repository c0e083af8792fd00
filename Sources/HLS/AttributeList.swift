/// An RFC 8216 attribute-list (§4.2): `NAME=value` pairs separated by commas, with no whitespace. Quoted
/// values may contain commas, so the list cannot simply be split on them.
public struct AttributeList: Sendable, Equatable, Hashable {
    public struct Attribute: Sendable, Equatable, Hashable {
        public var name: String
        public var value: AttributeValue

        public init(name: String, value: AttributeValue) {
            self.name = name
            self.value = value
        }
    }

    /// In the order written.
    public var attributes: [Attribute]

    public init(_ attributes: [Attribute]) {
        self.attributes = attributes
    }

    /// The value of the attribute called `name` (names are case-sensitive).
    public subscript(name: String) -> AttributeValue? {
        attributes.first { $0.name == name }?.value
    }

    /// Parses the text after a tag's colon. An empty text is an empty list.
    public init(parsing text: String) throws(AttributeListError) {
        let bytes = Array(text.utf8)
        var attributes: [Attribute] = []
        var seen: Set<String> = []
        var index = 0
        while index < bytes.count {
            let name = try Self.name(in: bytes, at: &index)
            let value = try Self.value(of: name, in: bytes, at: &index)
            guard seen.insert(name).inserted else { throw .duplicateName(name) }
            attributes.append(Attribute(name: name, value: value))
            guard index < bytes.count else { break }
            guard bytes[index] == UInt8(ascii: ",") else { throw .textAfterQuotedString(name: name) }
            index += 1
            if index == bytes.count { throw .trailingComma }
        }
        self.attributes = attributes
    }

    /// The list as written in a playlist.
    public func render() -> String {
        var text = ""
        for (position, attribute) in attributes.enumerated() {
            if position > 0 { text += "," }
            text += attribute.name + "=" + attribute.value.description
        }
        return text
    }

    /// Reads a name and the `=` after it.
    private static func name(in bytes: [UInt8], at index: inout Int) throws(AttributeListError) -> String {
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "="), bytes[index] != UInt8(ascii: ",") {
            index += 1
        }
        let name = String(decoding: bytes[start..<index], as: UTF8.self)
        guard index > start, bytes[start..<index].allSatisfy(isNameByte) else { throw .badName(name) }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { throw .missingEquals(name: name) }
        index += 1
        return name
    }

    /// Reads a value up to (not including) the comma after it or the end.
    private static func value(
        of name: String, in bytes: [UInt8], at index: inout Int
    ) throws(AttributeListError)
        -> AttributeValue
    {
        let quote = UInt8(ascii: "\"")
        if index < bytes.count, bytes[index] == quote {
            let start = index + 1
            guard let end = bytes[start...].firstIndex(of: quote) else { throw .unterminatedQuotedString(name: name) }
            index = end + 1
            return .quotedString(String(decoding: bytes[start..<end], as: UTF8.self))
        }
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: ",") {
            if bytes[index] == quote || bytes[index] == UInt8(ascii: " ") { throw .badUnquotedValue(name: name) }
            index += 1
        }
        guard index > start else { throw .emptyValue(name: name) }
        return .unquoted(String(decoding: bytes[start..<index], as: UTF8.self))
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || byte == UInt8(ascii: "-")
    }
}
