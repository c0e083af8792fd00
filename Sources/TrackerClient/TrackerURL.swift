/// A tracker URL sorted by transport.
public enum TrackerURL: Hashable, Sendable {
    /// An `http` or `https` announce URL, kept whole (it may carry a passkey query).
    case http(String)
    /// A BEP 15 tracker; `urlData` is the path and query, sent as BEP 41 URL data.
    case udp(host: String, port: Int, urlData: [UInt8])

    /// Reads `http://…`, `https://…` or `udp://host:port[/path]`; the scheme is case-insensitive.
    public init(_ text: String) throws(TrackerClientError) {
        guard let (scheme, authority, path) = Self.components(text) else { throw .invalidURL(text) }
        switch scheme {
        case "http", "https":
            guard let (host, _) = Self.split(authority: authority, defaultPort: scheme == "http" ? 80 : 443),
                !host.isEmpty
            else { throw .invalidURL(text) }
            self = .http(text)
        case "udp":
            // BEP 15 trackers have no standard port, so it must be given.
            guard let (host, port) = Self.split(authority: authority, defaultPort: nil), !host.isEmpty,
                let port, (1...65535).contains(port)
            else { throw .invalidURL(text) }
            self = .udp(host: host, port: port, urlData: Array(path.utf8))
        default:
            throw .unsupportedURL(text)
        }
    }

    /// What a connection of our own needs from an `http(s)` URL: TLS or not, the host and port to dial, and the
    /// request target (path and query, without the fragment). Nil for other URLs and malformed ones.
    static func httpParts(_ text: String) -> (tls: Bool, host: String, port: Int, target: String)? {
        guard let (scheme, authority, path) = components(text), scheme == "http" || scheme == "https" else {
            return nil
        }
        let tls = scheme == "https"
        guard let (host, port) = split(authority: authority, defaultPort: tls ? 443 : 80),
            let port, !host.isEmpty, (1...65535).contains(port)
        else { return nil }
        return (tls, host, port, path.isEmpty ? "/" : path.hasPrefix("?") ? "/" + path : String(path))
    }

    /// The lowercased scheme, the authority, and the path and query without the fragment; nil without `://`.
    private static func components(_ text: String) -> (scheme: String, authority: Substring, path: Substring)? {
        guard let schemeEnd = text.firstRange(of: "://") else { return nil }
        let rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { (character: Character) in "/?#".contains(character) } ?? rest.endIndex
        return (
            text[..<schemeEnd.lowerBound].lowercased(), rest[..<authorityEnd],
            rest[authorityEnd...].prefix { $0 != "#" }
        )
    }

    /// `host`, `host:port`, `[v6]` or `[v6]:port`; user info is not allowed. Nil when malformed.
    private static func split(authority: Substring, defaultPort: Int?) -> (String, Int?)? {
        guard !authority.contains("@") else { return nil }
        let host: Substring
        var portText: Substring? = nil
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":" else { return nil }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
            guard !host.contains(":") else { return nil }
        } else {
            host = authority
        }
        guard let portText else { return (String(host), defaultPort) }
        guard !portText.isEmpty, portText.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let port = Int(portText) else {
            return nil
        }
        return (String(host), port)
    }
}
