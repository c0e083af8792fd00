/// Why bencoded input was rejected, and at which byte offset.
public struct BencodeError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: Equatable, Sendable {
        case truncated
        case unexpectedByte(UInt8)
        case leadingZero
        case negativeZero
        case emptyInteger
        case integerOverflow
        case lengthBeyondInput(Int)
        case unsortedKey
        case duplicateKey
        case tooDeep(limit: Int)
        case trailingBytes(count: Int)
    }

    public var reason: Reason
    /// Offset of the byte where the problem was found.
    public var offset: Int

    public init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    public var description: String {
        let what: String
        switch reason {
        case .truncated: what = "input ends in the middle of a value"
        case .unexpectedByte(let byte): what = "unexpected byte \(Self.show(byte))"
        case .leadingZero: what = "number with a leading zero"
        case .negativeZero: what = "integer -0"
        case .emptyInteger: what = "integer without digits"
        case .integerOverflow: what = "integer does not fit in 64 bits"
        case .lengthBeyondInput(let length): what = "string length \(length) runs past the end of the input"
        case .unsortedKey: what = "dictionary keys not in sorted order"
        case .duplicateKey: what = "duplicate dictionary key"
        case .tooDeep(let limit): what = "nesting deeper than \(limit) levels"
        case .trailingBytes(let count): what = "\(count) trailing byte\(count == 1 ? "" : "s") after the value"
        }
        return "bencode: \(what) at byte \(offset)"
    }

    private static func show(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        let hex = String(byte, radix: 16, uppercase: true)
        return "0x" + (hex.count == 1 ? "0" + hex : hex)
    }
}
