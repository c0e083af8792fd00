/// The request methods the video routes tell apart. Method names are case-sensitive (RFC 9110 §9.1), so `get`
/// is not `GET`.
public enum RequestMethod: Sendable, Equatable, Hashable, CustomStringConvertible {
    case get
    case head
    case options
    /// Any other method, by name; the routes answer it with 405.
    case other(String)

    public init(_ name: some StringProtocol) {
        switch name {
        case "GET": self = .get
        case "HEAD": self = .head
        case "OPTIONS": self = .options
        default: self = .other(String(name))
        }
    }

    /// The methods the routes answer, as the `Allow` header lists them.
    public static let allowed: [RequestMethod] = [.get, .head, .options]

    public var name: String {
        switch self {
        case .get: return "GET"
        case .head: return "HEAD"
        case .options: return "OPTIONS"
        case .other(let name): return name
        }
    }

    public var description: String { name }
}
