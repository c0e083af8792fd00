/// The 20-byte id a peer announces in its handshake and to trackers.
public struct PeerID: Hashable, Sendable, CustomStringConvertible {
    public static let byteCount = 20

    /// Shoal's Azureus-style client prefix: `-`, client code `SH`, version 0.1.0.0, `-`.
    public static let shoalPrefix = "-SH0100-"

    /// The characters the random part of a generated id is drawn from: printable in logs and
    /// tracker URLs without escaping.
    static let randomAlphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// Exactly 20 bytes.
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = bytes
    }

    /// A fresh id for Shoal: the prefix followed by 12 random alphanumeric characters.
    public static func generate(using generator: inout some RandomNumberGenerator) -> PeerID {
        var bytes = Array(shoalPrefix.utf8)
        while bytes.count < byteCount {
            bytes.append(randomAlphabet.randomElement(using: &generator)!)
        }
        return PeerID(bytes: bytes)!
    }

    /// The client code and version of an Azureus-style id (`-XX1234-…` gives "XX1234"), for logs.
    public var azureusClient: String? {
        guard bytes[0] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        let code = bytes[1..<7]
        guard code.allSatisfy({ $0 >= 0x21 && $0 < 0x7F }) else { return nil }
        return String(decoding: code, as: UTF8.self)
    }

    /// Printable ASCII as is, other bytes as %XX (the form trackers see).
    public var description: String {
        var text = ""
        for byte in bytes {
            if byte >= 0x21 && byte < 0x7F && byte != UInt8(ascii: "%") {
                text.append(Character(Unicode.Scalar(byte)))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                text += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return text
    }
}
