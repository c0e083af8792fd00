/// The paths a tracker serves over HTTP. A passkey is the path component after `announce` or `scrape`
/// (`/announce/<passkey>`); the query is left as text for the announce and scrape parsers.
public enum TrackerHTTPRoute: Equatable, Sendable {
    case announce(passkey: Substring?, query: Substring)
    case scrape(passkey: Substring?, query: Substring)
    /// `/`: the human stats page.
    case statsPage
    case statsJSON
    case metrics
    case notFound

    public init(target: Substring) {
        let queryStart = target.firstIndex(of: "?") ?? target.endIndex
        let path = target[..<queryStart]
        let query = queryStart < target.endIndex ? target[target.index(after: queryStart)...] : target[queryStart...]
        let components = path.split(separator: "/", omittingEmptySubsequences: true)
        switch (components.first, components.count) {
        case (nil, _): self = path.hasPrefix("/") ? .statsPage : .notFound
        case ("announce", 1): self = .announce(passkey: nil, query: query)
        case ("announce", 2): self = .announce(passkey: components[1], query: query)
        case ("scrape", 1): self = .scrape(passkey: nil, query: query)
        case ("scrape", 2): self = .scrape(passkey: components[1], query: query)
        case ("stats.json", 1): self = .statsJSON
        case ("metrics", 1): self = .metrics
        default: self = .notFound
        }
    }

    /// The passkey of a BEP 41 UDP URL data (`/announce/<passkey>`), nil when it names none.
    public static func passkey(inUDPURLData data: [UInt8]) -> Substring? {
        guard !data.isEmpty else { return nil }
        let text = Substring(decoding: data, as: UTF8.self)
        switch TrackerHTTPRoute(target: text) {
        case .announce(let passkey, _), .scrape(let passkey, _): return passkey
        default: return nil
        }
    }
}
