import Bencode

/// Why a KRPC packet was refused. Carries what was learnt before the problem, so that a bad query
/// can still be answered with a KRPC error (BEP 5: 203 for a protocol error, 204 for an unknown method).
public struct KRPCDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: Error, Equatable, Sendable, CustomStringConvertible {
        case packetTooLarge(size: Int, limit: Int)
        case bencode(BencodeError)
        case notADictionary
        case missingKey(String)
        case wrongType(key: String, expected: String)
        /// A byte string of the wrong length: an ID or infohash that is not 20 bytes, a `t` too long.
        case badLength(key: String, length: Int, expected: String)
        /// A compact node list whose length is not a whole number of entries.
        case misaligned(key: String, length: Int, entrySize: Int)
        /// `y` other than `q`, `r` or `e`.
        case unknownMessageType([UInt8])
        /// A query method Shoal does not serve (answered with error 204).
        case unknownMethod(String)
        case badValue(key: String, value: Int64)
        /// An `e` that is not a list of an integer code and a message.
        case malformedError

        public var description: String {
            switch self {
            case .packetTooLarge(let size, let limit): return "packet of \(size) bytes exceeds the \(limit)-byte limit"
            case .bencode(let error): return "not valid bencode: \(error)"
            case .notADictionary: return "packet is not a dictionary"
            case .missingKey(let key): return "missing '\(key)'"
            case .wrongType(let key, let expected): return "'\(key)' is not \(expected)"
            case .badLength(let key, let length, let expected): return "'\(key)' is \(length) bytes, not \(expected)"
            case .misaligned(let key, let length, let entrySize):
                return "'\(key)' is \(length) bytes, not a multiple of \(entrySize)"
            case .unknownMessageType(let type): return "unknown message type '\(KRPCDecodingError.show(type))'"
            case .unknownMethod(let name): return "unknown method '\(name)'"
            case .badValue(let key, let value): return "'\(key)' has the impossible value \(value)"
            case .malformedError: return "'e' is not a list of a code and a message"
            }
        }
    }

    public var reason: Reason
    /// The packet's `t`, when it was read before the problem.
    public var transactionID: [UInt8]?
    /// True when the packet said it was a query (`y` = `q`): only those are answered with an error.
    public var isQuery: Bool

    public init(_ reason: Reason, transactionID: [UInt8]? = nil, isQuery: Bool = false) {
        self.reason = reason
        self.transactionID = transactionID
        self.isQuery = isQuery
    }

    public var description: String { "KRPC: \(reason)" }

    /// The error to send back, or nil when the packet must be dropped silently: it was no query, or
    /// had no usable transaction id, so an answer could not be matched (and could feed a loop).
    public var reply: KRPCMessage? {
        guard isQuery, let transactionID else { return nil }
        switch reason {
        case .unknownMethod(let name):
            return KRPCMessage(transactionID: transactionID, kind: .error(.methodUnknown("unknown method '\(name)'")))
        default:
            return KRPCMessage(transactionID: transactionID, kind: .error(.protocolError(reason.description)))
        }
    }

    /// Printable ASCII as text, anything else as \xNN, for one readable log line.
    static func show(_ bytes: [UInt8]) -> String {
        var text = ""
        for byte in bytes.prefix(32) {
            if byte >= 0x20 && byte < 0x7F {
                text.append(Character(Unicode.Scalar(byte)))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                text += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return text
    }
}
