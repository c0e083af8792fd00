/// The HTTP status codes the video routes answer with.
public enum ResponseStatus: Int, Sendable, Equatable, Hashable, CustomStringConvertible {
    case ok = 200
    /// An OPTIONS (CORS preflight) answer.
    case noContent = 204
    case partialContent = 206
    case notModified = 304
    case badRequest = 400
    case notFound = 404
    case methodNotAllowed = 405
    case rangeNotSatisfiable = 416
    /// The file's pieces did not arrive in time; `Retry-After` says when to ask again.
    case serviceUnavailable = 503

    public var code: Int { rawValue }

    /// The reason phrase of RFC 9110 §15.
    public var reasonPhrase: String {
        switch self {
        case .ok: return "OK"
        case .noContent: return "No Content"
        case .partialContent: return "Partial Content"
        case .notModified: return "Not Modified"
        case .badRequest: return "Bad Request"
        case .notFound: return "Not Found"
        case .methodNotAllowed: return "Method Not Allowed"
        case .rangeNotSatisfiable: return "Range Not Satisfiable"
        case .serviceUnavailable: return "Service Unavailable"
        }
    }

    public var description: String { "\(code) \(reasonPhrase)" }
}
