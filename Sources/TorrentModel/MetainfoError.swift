import Bencode

/// Why a torrent file was refused. Each case reads as one line for the user.
public enum MetainfoError: Error, Equatable, Sendable, CustomStringConvertible {
    case bencode(BencodeError)
    case notADictionary
    case missingKey(String)
    case wrongType(key: String, expected: String)
    case invalidValue(key: String, reason: String)
    case unsafePath(String)
    case inconsistentSizes(String)
    case tooLarge(String)

    public var description: String {
        switch self {
        case .bencode(let error): return error.description
        case .notADictionary: return "not a torrent: the top level is not a dictionary"
        case .missingKey(let key): return "not a torrent: missing '\(key)'"
        case .wrongType(let key, let expected): return "'\(key)' should be \(expected)"
        case .invalidValue(let key, let reason): return "'\(key)' is invalid: \(reason)"
        case .unsafePath(let reason): return "unsafe file path: \(reason)"
        case .inconsistentSizes(let reason): return "inconsistent sizes: \(reason)"
        case .tooLarge(let reason): return "too large: \(reason)"
        }
    }
}
