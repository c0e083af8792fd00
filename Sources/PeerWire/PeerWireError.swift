/// Why a peer's bytes were refused. The connection logs the description when it disconnects.
public enum PeerWireError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The handshake did not start with the length byte 19 and "BitTorrent protocol"; `received`
    /// holds the first bytes seen (at most 20), which tell an HTTP request or encrypted stream apart.
    case notBitTorrent(received: [UInt8])
    /// The stream ended after `received` of the 68 handshake bytes.
    case truncatedHandshake(received: Int)
    /// The stream ended after `received` bytes of a message of `expected` bytes (length prefix included).
    case truncatedMessage(received: Int, expected: Int)
    /// A length prefix above the connection's limit, or above the limit for that kind of message.
    case messageTooLong(id: PeerMessageID?, length: Int, limit: Int)
    /// A message whose payload length does not fit its kind (a `have` that is not 4 bytes, ...).
    case wrongMessageLength(id: PeerMessageID, length: Int)
    /// A `request`, `cancel`, `reject request` or `piece` whose block length is 0 or above 16 KiB.
    case invalidBlockLength(id: PeerMessageID, length: Int)
    /// A BEP 10 extension handshake that is not a dictionary or has a key of the wrong type or range.
    case invalidExtensionHandshake(String)
    /// A BEP 9 `ut_metadata` message that cannot be read.
    case invalidMetadataMessage(String)
    /// A `shoal_deadline` message that cannot be read.
    case invalidDeadlineMessage(String)
    /// A metadata size of 0, negative or above `PeerWireLimits.maximumMetadataSize`.
    case metadataSizeRefused(Int)
    /// A metadata piece that does not fit the metadata being assembled.
    case invalidMetadataPiece(String)

    public var description: String {
        switch self {
        case .notBitTorrent(let received):
            return "not a BitTorrent handshake (starts with \(Self.show(received)))"
        case .truncatedHandshake(let received):
            return "connection ended after \(received) of the \(Handshake.length) handshake bytes"
        case .truncatedMessage(let received, let expected):
            return "connection ended after \(received) of a \(expected)-byte message"
        case .messageTooLong(let id, let length, let limit):
            let what = id.map { "\($0) message" } ?? "message"
            return "\(what) of \(length) bytes exceeds the limit of \(limit)"
        case .wrongMessageLength(let id, let length):
            let expected = id.fixedPayloadLength.map { "\($0)" } ?? "a different length"
            return "\(id) message with a \(length)-byte payload (expected \(expected))"
        case .invalidBlockLength(let id, let length):
            return "\(id) message for a block of \(length) bytes (allowed 1...\(PeerWireLimits.maximumBlockLength))"
        case .invalidExtensionHandshake(let reason):
            return "invalid extension handshake: \(reason)"
        case .invalidMetadataMessage(let reason):
            return "invalid ut_metadata message: \(reason)"
        case .invalidDeadlineMessage(let reason):
            return "invalid shoal_deadline message: \(reason)"
        case .metadataSizeRefused(let size):
            return "metadata size \(size) refused (allowed 1...\(PeerWireLimits.maximumMetadataSize))"
        case .invalidMetadataPiece(let reason):
            return "invalid metadata piece: \(reason)"
        }
    }

    /// Printable ASCII as text, anything else as \xNN, so a log line stays one readable line.
    private static func show(_ bytes: [UInt8]) -> String {
        var text = "\""
        for byte in bytes {
            if byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                text.append(Character(Unicode.Scalar(byte)))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                text += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return text + "\""
    }
}
