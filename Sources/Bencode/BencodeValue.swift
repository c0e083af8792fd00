/// A bencoded value (BEP 3). Byte strings are bytes, not text: keys and values may hold any octets.
public enum BencodeValue: Hashable, Sendable {
    case integer(Int64)
    case bytes([UInt8])
    case list([BencodeValue])
    /// Keys are raw bytes; the encoder writes them in sorted byte order as BEP 3 demands.
    case dictionary([[UInt8]: BencodeValue])

    /// A byte string holding the UTF-8 bytes of `text`.
    public static func string(_ text: String) -> BencodeValue { .bytes(Array(text.utf8)) }

    public var integerValue: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    public var bytesValue: [UInt8]? {
        if case .bytes(let value) = self { return value }
        return nil
    }

    /// The byte string decoded as UTF-8, or nil when it is not a byte string or not valid UTF-8.
    public var stringValue: String? {
        guard case .bytes(let value) = self else { return nil }
        return String(validating: value, as: UTF8.self)
    }

    public var listValue: [BencodeValue]? {
        if case .list(let value) = self { return value }
        return nil
    }

    public var dictionaryValue: [[UInt8]: BencodeValue]? {
        if case .dictionary(let value) = self { return value }
        return nil
    }

    /// Looks up a dictionary entry by a textual key.
    public subscript(key: String) -> BencodeValue? {
        dictionaryValue?[Array(key.utf8)]
    }
}

extension BencodeValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) { self = .integer(value) }
}

extension BencodeValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension BencodeValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: BencodeValue...) { self = .list(elements) }
}

extension BencodeValue: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, BencodeValue)...) {
        var dictionary: [[UInt8]: BencodeValue] = [:]
        for (key, value) in elements { dictionary[Array(key.utf8)] = value }
        self = .dictionary(dictionary)
    }
}
