import Bencode

/// Why a tracker query, response or packet was refused.
public enum TrackerProtocolError: Error, Equatable, Sendable, CustomStringConvertible {
    // MARK: HTTP queries

    case queryTooLong(length: Int, limit: Int)
    /// A `%` not followed by two hexadecimal digits.
    case badPercentEncoding(field: String)
    case missingField(String)
    /// A field that may appear once appeared again.
    case duplicateField(String)
    case badInfoHashLength(Int)
    case badPeerIDLength(Int)
    /// The port was not a number from 1 to 65535.
    case badPort(String)
    /// A field that must be a non-negative decimal number was not one.
    case badNumber(field: String, value: String)
    case badEvent(String)
    /// A yes/no field held something other than `0` or `1`.
    case badFlag(field: String, value: String)
    case fieldTooLong(field: String, length: Int, limit: Int)
    case tooManyInfoHashes(count: Int, limit: Int)

    // MARK: Bencoded responses

    case bencode(BencodeError)
    case notADictionary
    case wrongType(key: String, expected: String)
    case negativeValue(key: String, value: Int64)
    /// A compact peer string whose length is not a whole number of entries.
    case compactPeersMisaligned(key: String, length: Int, entrySize: Int)
    case badPeerEntry(index: Int, reason: String)
    /// A scrape `files` key that is not a 20-byte infohash.
    case badScrapeInfoHash(length: Int)

    // MARK: UDP packets

    case udpPacketTooShort(length: Int, minimum: Int)
    case udpBadLength(packet: String, length: Int)
    case udpBadProtocolID(UInt64)
    case udpUnknownAction(UInt32)
    case udpBadEvent(UInt32)
    case udpMalformedOptions
    case udpNoInfoHashes

    public var description: String {
        switch self {
        case .queryTooLong(let length, let limit):
            return "query of \(length) bytes is longer than the \(limit)-byte limit"
        case .badPercentEncoding(let field): return "bad percent-encoding in '\(field)'"
        case .missingField(let field): return "missing '\(field)'"
        case .duplicateField(let field): return "'\(field)' given more than once"
        case .badInfoHashLength(let length): return "info_hash is \(length) bytes, not 20"
        case .badPeerIDLength(let length): return "peer_id is \(length) bytes, not 20"
        case .badPort(let value): return "port '\(value)' is not a number from 1 to 65535"
        case .badNumber(let field, let value): return "'\(field)' is '\(value)', not a non-negative number"
        case .badEvent(let value): return "unknown event '\(value)'"
        case .badFlag(let field, let value): return "'\(field)' is '\(value)', not 0 or 1"
        case .fieldTooLong(let field, let length, let limit):
            return "'\(field)' is \(length) bytes, longer than the \(limit)-byte limit"
        case .tooManyInfoHashes(let count, let limit): return "\(count) infohashes, more than the limit of \(limit)"
        case .bencode(let error): return "tracker response is not valid bencode: \(error)"
        case .notADictionary: return "tracker response is not a dictionary"
        case .wrongType(let key, let expected): return "'\(key)' in the tracker response is not \(expected)"
        case .negativeValue(let key, let value): return "'\(key)' in the tracker response is negative (\(value))"
        case .compactPeersMisaligned(let key, let length, let entrySize):
            return "'\(key)' is \(length) bytes, not a multiple of \(entrySize)"
        case .badPeerEntry(let index, let reason): return "peer \(index) in the tracker response: \(reason)"
        case .badScrapeInfoHash(let length): return "scrape response names an infohash of \(length) bytes, not 20"
        case .udpPacketTooShort(let length, let minimum):
            return "UDP tracker packet of \(length) bytes is shorter than \(minimum)"
        case .udpBadLength(let packet, let length): return "UDP \(packet) packet has a bad length of \(length) bytes"
        case .udpBadProtocolID(let value):
            return "UDP connect request has protocol id 0x\(String(value, radix: 16)), not 0x41727101980"
        case .udpUnknownAction(let action): return "UDP tracker packet has unknown action \(action)"
        case .udpBadEvent(let event): return "UDP announce has unknown event \(event)"
        case .udpMalformedOptions: return "UDP announce has malformed BEP 41 options"
        case .udpNoInfoHashes: return "UDP scrape request names no infohash"
        }
    }
}
