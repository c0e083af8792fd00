/// The value of one attribute. RFC 8216 §4.2 defines seven value types, but only quoted strings can be told
/// apart by their syntax; the attribute's definition says which type to read, through the accessors below.
public enum AttributeValue: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The text between the quotes.
    case quotedString(String)
    /// A decimal-integer, hexadecimal-sequence, decimal-floating-point, signed-decimal-floating-point,
    /// decimal-resolution or enumerated-string, as written.
    case unquoted(String)

    /// The text of a quoted-string.
    public var quotedString: String? {
        if case .quotedString(let text) = self { return text }
        return nil
    }

    /// A decimal-integer that fits in `Int`.
    public var decimalInteger: Int? {
        guard case .unquoted(let text) = self else { return nil }
        return DecimalText.integer(Substring(text))
    }

    /// The bytes of a hexadecimal-sequence (`0x` or `0X` then hex digits); an odd digit count is read as
    /// if a leading zero were there.
    public var hexadecimalSequence: [UInt8]? {
        guard case .unquoted(let text) = self else { return nil }
        let utf8 = Array(text.utf8)
        guard utf8.count > 2, utf8[0] == UInt8(ascii: "0"), utf8[1] == UInt8(ascii: "x") || utf8[1] == UInt8(ascii: "X")
        else { return nil }
        var nibbles: [UInt8] = []
        nibbles.reserveCapacity(utf8.count - 1)
        if utf8.count % 2 == 1 { nibbles.append(0) }
        for byte in utf8[2...] {
            guard let nibble = Self.hexNibble(byte) else { return nil }
            nibbles.append(nibble)
        }
        return stride(from: 0, to: nibbles.count, by: 2).map { nibbles[$0] << 4 | nibbles[$0 + 1] }
    }

    /// A decimal-floating-point (no sign, no exponent).
    public var decimalFloatingPoint: Double? {
        guard case .unquoted(let text) = self else { return nil }
        return DecimalText.floatingPoint(Substring(text))
    }

    /// A signed-decimal-floating-point: a decimal-floating-point with an optional leading `-`.
    public var signedDecimalFloatingPoint: Double? {
        guard case .unquoted(let text) = self else { return nil }
        if text.hasPrefix("-") { return DecimalText.floatingPoint(text.dropFirst()).map { -$0 } }
        return DecimalText.floatingPoint(Substring(text))
    }

    /// A decimal-resolution, `<width>x<height>`.
    public var resolution: Resolution? {
        guard case .unquoted(let text) = self else { return nil }
        return Resolution(parsing: Substring(text))
    }

    /// An enumerated-string: any unquoted value (the attribute's definition lists the allowed ones).
    public var enumeratedString: String? {
        if case .unquoted(let text) = self { return text }
        return nil
    }

    /// As written in a playlist.
    public var description: String {
        switch self {
        case .quotedString(let text): return "\"\(text)\""
        case .unquoted(let text): return text
        }
    }

    private static func hexNibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
