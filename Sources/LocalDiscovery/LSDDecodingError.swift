/// Why a datagram on the LSD group was refused.
public enum LSDDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Longer than `LSDLimits.maximumPacketSize`; not read.
    case packetTooLarge(size: Int, limit: Int)
    /// The first line is not a `BT-SEARCH` request (`method` is what stood there, shortened).
    case notBTSearch(method: String)
    case missingPort
    /// `Port` is not a number from 1 to 65535.
    case invalidPort(String)
    /// No `Infohash` line held 40 hex digits of a non-zero infohash.
    case noInfoHash
    /// More `Infohash` lines than `LSDLimits.maximumInfoHashesPerAnnouncement`.
    case tooManyInfoHashes(count: Int, limit: Int)

    public var description: String {
        switch self {
        case .packetTooLarge(let size, let limit): return "LSD: packet of \(size) bytes exceeds the \(limit)-byte limit"
        case .notBTSearch(let method): return "LSD: not a BT-SEARCH request (starts with '\(method)')"
        case .missingPort: return "LSD: announcement without a Port header"
        case .invalidPort(let value): return "LSD: Port '\(value)' is not a number from 1 to 65535"
        case .noInfoHash: return "LSD: announcement without a valid Infohash"
        case .tooManyInfoHashes(let count, let limit):
            return "LSD: announcement names \(count) infohashes, more than the limit of \(limit)"
        }
    }
}
