import Hummingbird
import NodeAPI

/// Refuses every request whose `Host` is not a loopback name or address: `localhost`, `127.0.0.1` or
/// `[::1]`, each with or without a port.
///
/// Binding 127.0.0.1 keeps other machines out, but not web pages: a page on `evil.example` can make
/// the victim's browser resolve its own name to 127.0.0.1 (DNS rebinding) and then call the API as a
/// same-origin site. The browser still sends `Host: evil.example`, so checking it closes the hole
/// (Transmission's CVE-2018-5702). A foreign Host gets 403 with a JSON body naming the Host received
/// and the ones accepted; a request without any Host gets 400 (RFC 9112 §3.2).
///
/// Shared by every route the node serves on its local HTTP port (the control API, HLS streaming):
/// add it to a router or route collection before the routes it guards.
public struct LoopbackHostMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The host names accepted, each also with `:port`.
    public static var acceptedHosts: [String] { ["localhost", "127.0.0.1", "[::1]"] }

    public init() {}

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        // HTTP/1 puts the first Host header in `authority`; any further Host headers stay in the fields.
        var hosts: [String] = []
        if let authority = request.head.authority { hosts.append(authority) }
        hosts.append(contentsOf: request.headers.lazy.filter { $0.name.canonicalName == "host" }.map(\.value))
        guard !hosts.isEmpty else {
            throw ControlErrorResponse.invalidInput(
                "the request has no Host header; send Host: \(Self.acceptedList) (any port)")
        }
        if let foreign = hosts.first(where: { !Self.isLoopback($0) }) {
            throw ControlErrorResponse(
                status: .forbidden, body: NodeControlError.notAllowed(Self.refusal(foreign)).body)
        }
        return try await next(request, context)
    }

    /// Whether a `Host` value names the loopback interface: `localhost` (any case), `127.0.0.1` or
    /// `[::1]`, optionally followed by `:port` with 1 to 5 digits up to 65535.
    public static func isLoopback(_ host: String) -> Bool {
        let name: Substring
        let port: Substring?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return false }
            name = host[...close]
            let rest = host[host.index(after: close)...]
            if rest.isEmpty {
                port = nil
            } else {
                guard rest.first == ":" else { return false }
                port = rest.dropFirst()
            }
        } else if let colon = host.firstIndex(of: ":") {
            name = host[..<colon]
            port = host[host.index(after: colon)...]
        } else {
            name = Substring(host)
            port = nil
        }
        if let port {
            guard (1...5).contains(port.utf8.count), port.utf8.allSatisfy({ (48...57).contains($0) }),
                let number = Int(port), number <= 65535
            else { return false }
        }
        return name.lowercased() == "localhost" || name == "127.0.0.1" || name == "[::1]"
    }

    static var acceptedList: String { acceptedHosts.joined(separator: ", ") }

    /// The longest received Host a refusal quotes.
    static var quotedHostLimit: Int { 200 }

    static func refusal(_ host: String) -> String {
        let quoted = host.count > quotedHostLimit ? host.prefix(quotedHostLimit) + "…" : Substring(host)
        return "refused a request for Host '\(quoted)': the Shoal control API answers only Host "
            + "\(acceptedList) (with any port), so web pages cannot reach it through DNS rebinding"
    }
}
