/// What went wrong with a control request, in terms the user can act on. Each case has a stable code
/// (``code``) and a one-line message (``description``); on the wire it is the JSON error body
/// ``APIErrorBody`` (`{"error": "<code>", "message": "<text>", ...}`), which ``init(body:)`` turns
/// back into the same case.
public enum NodeControlError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No torrent in the library matches the reference.
    case unknownTorrent(reference: String)
    /// Several torrents match the prefix; `matches` are their infohashes (40 hex digits).
    case ambiguousReference(reference: String, matches: [String])
    /// The library already has this torrent (40 hex digits).
    case alreadyAdded(infoHash: String)
    /// The request is malformed: bad JSON, a broken torrent or magnet link, a bad reference or value.
    case invalidInput(String)
    /// The request is understood but refused (e.g. a request from a foreign web page).
    case notAllowed(String)
    /// The node failed to do what it was asked.
    case internalFailure(String)

    /// The stable machine-readable code, the `error` field of the JSON body.
    public var code: String {
        switch self {
        case .unknownTorrent: return Code.unknownTorrent
        case .ambiguousReference: return Code.ambiguousReference
        case .alreadyAdded: return Code.alreadyAdded
        case .invalidInput: return Code.invalidInput
        case .notAllowed: return Code.notAllowed
        case .internalFailure: return Code.internalFailure
        }
    }

    /// The codes of the JSON error body.
    public enum Code {
        public static let unknownTorrent = "unknownTorrent"
        public static let ambiguousReference = "ambiguousReference"
        public static let alreadyAdded = "alreadyAdded"
        public static let invalidInput = "invalidInput"
        public static let notAllowed = "notAllowed"
        public static let internalFailure = "internalFailure"
    }

    /// One line for a person, without a trailing period.
    public var description: String {
        switch self {
        case .unknownTorrent(let reference):
            return "no torrent matches '\(reference)'"
        case .ambiguousReference(let reference, let matches):
            let shown = matches.prefix(Self.matchesShown).joined(separator: ", ")
            let more = matches.count > Self.matchesShown ? ", …" : ""
            return "'\(reference)' matches \(matches.count) torrents (\(shown)\(more)); give more digits"
        case .alreadyAdded(let infoHash):
            return "torrent \(infoHash) is already in the library"
        case .invalidInput(let message), .notAllowed(let message), .internalFailure(let message):
            return message
        }
    }

    /// How many matches an ambiguous reference's message lists (the body carries them all).
    static let matchesShown = 5

    /// The JSON error body for this error.
    public var body: APIErrorBody {
        switch self {
        case .unknownTorrent(let reference):
            return APIErrorBody(error: code, message: description, reference: reference)
        case .ambiguousReference(let reference, let matches):
            return APIErrorBody(error: code, message: description, reference: reference, matches: matches)
        case .alreadyAdded(let infoHash):
            return APIErrorBody(error: code, message: description, infoHash: infoHash)
        case .invalidInput, .notAllowed, .internalFailure:
            return APIErrorBody(error: code, message: description)
        }
    }

    /// The error a JSON error body describes; nil for a code this version does not know (such as the
    /// server's own `notFound` and `methodNotAllowed`).
    public init?(body: APIErrorBody) {
        switch body.error {
        case Code.unknownTorrent:
            self = .unknownTorrent(reference: body.reference ?? "")
        case Code.ambiguousReference:
            self = .ambiguousReference(reference: body.reference ?? "", matches: body.matches ?? [])
        case Code.alreadyAdded:
            self = .alreadyAdded(infoHash: body.infoHash ?? "")
        case Code.invalidInput:
            self = .invalidInput(body.message)
        case Code.notAllowed:
            self = .notAllowed(body.message)
        case Code.internalFailure:
            self = .internalFailure(body.message)
        default:
            return nil
        }
    }
}

extension NodeControlError: Codable {
    /// Encodes as its JSON error body.
    public func encode(to encoder: any Encoder) throws {
        try body.encode(to: encoder)
    }

    /// Decodes a JSON error body; a code this version does not know is a `DecodingError`.
    public init(from decoder: any Decoder) throws {
        let body = try APIErrorBody(from: decoder)
        guard let error = NodeControlError(body: body) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "unknown error code '\(body.error)'"))
        }
        self = error
    }
}
