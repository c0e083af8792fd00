/// Why a request path is not a valid `/v/<infohash>/<path>` or `/watch/<infohash>` route. `status` is the HTTP
/// answer: 404 for a path that is not one of these routes at all, 400 for everything else. Quoted request
/// text is shortened and has its control characters replaced.
///
/// An unknown torrent or a path the torrent does not have is not a route error: the route is well formed and
/// the caller answers 404 after looking it up.
public enum HLSRouteError: Error, Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The path starts with neither `/v/` nor `/watch/`, or `/watch/<infohash>` has more after it.
    case unknownRoute
    case pathTooLong(bytes: Int, limit: Int)
    /// Not 40 hex digits or 32 base32 characters (the text as sent).
    case invalidInfoHash(String)
    /// `/v/<infohash>` or `/v/<infohash>/` names no file.
    case missingFilePath
    case tooManyComponents(count: Int, limit: Int)
    /// A `%` not followed by two hex digits, in this component (as sent).
    case malformedEscape(String)
    /// This component (as sent) does not decode to UTF-8.
    case invalidUTF8(String)
    /// `//` in the path, or a trailing `/`.
    case emptyComponent
    /// `.` or `..`, sent as is or encoded (`%2e%2e`).
    case dotSegment(String)
    /// `%2F` inside a component (as sent). Refused rather than kept as a literal `/`: no file of a torrent
    /// has a `/` in a name, and a decoded slash is how path checks get bypassed.
    case encodedSlash(String)
    /// NUL, a backslash (a separator on Windows) or another control character (its code), sent as is or encoded.
    case forbiddenCharacter(UInt32)
    case componentTooLong(bytes: Int, limit: Int)

    /// The HTTP status to answer with.
    public var status: ResponseStatus {
        switch self {
        case .unknownRoute: return .notFound
        default: return .badRequest
        }
    }

    public var description: String {
        switch self {
        case .unknownRoute:
            return "no such route: video files are under /v/<infohash>/<path>, the player under /watch/<infohash>"
        case .pathTooLong(let bytes, let limit):
            return "the request path is \(bytes) bytes long, more than the limit of \(limit)"
        case .invalidInfoHash(let text):
            return "'\(HeaderText.excerpt(text))' is not an infohash: expected 40 hex digits or 32 base32 characters"
        case .missingFilePath:
            return "no file named: use /v/<infohash>/<path of a file in the torrent>"
        case .tooManyComponents(let count, let limit):
            return "the path has \(count) components, more than the limit of \(limit)"
        case .malformedEscape(let component):
            return "bad percent-encoding in '\(HeaderText.excerpt(component))': '%' must be followed by two hex digits"
        case .invalidUTF8(let component):
            return "'\(HeaderText.excerpt(component))' does not decode to UTF-8"
        case .emptyComponent:
            return "empty path component ('//' or a trailing '/')"
        case .dotSegment(let component):
            return "'\(component)' is not allowed in a path"
        case .encodedSlash(let component):
            return "'\(HeaderText.excerpt(component))' holds an encoded '/' (%2F), which no file name of a torrent has"
        case .forbiddenCharacter(let scalar):
            return "\(Self.name(of: scalar)) is not allowed in a path"
        case .componentTooLong(let bytes, let limit):
            return "a path component is \(bytes) bytes long once decoded, more than the limit of \(limit)"
        }
    }

    private static func name(of scalar: UInt32) -> String {
        switch scalar {
        case 0: return "NUL"
        case 0x5C: return "a backslash"
        default:
            let hex = String(scalar, radix: 16, uppercase: true)
            return "control character U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
    }
}
