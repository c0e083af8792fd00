/// Cross-origin access to the video routes, so that web players served from other origins can fetch playlists
/// and segments from the node (the Fetch standard's CORS protocol).
///
/// Any origin may read (`*`): the files are a public swarm's content, and no credentials are involved
/// (`*` never lets a browser send cookies or read answers to credentialed requests). The control API under
/// `/api/v1` does not use this policy.
public struct CORSPolicy: Sendable, Equatable, Hashable {
    /// `Access-Control-Max-Age` of preflight answers.
    public var preflightMaxAgeSeconds: Int

    public init(preflightMaxAgeSeconds: Int = HTTPServingLimits.preflightMaxAgeSeconds) {
        self.preflightMaxAgeSeconds = preflightMaxAgeSeconds
    }

    /// The policy of the video routes.
    public static let standard = CORSPolicy()

    /// The request headers a player may send besides the CORS-safelisted ones (a `Range` of more than one
    /// range, or any conditional header, makes the browser ask first).
    public static let allowedRequestHeaders = ["Range", "If-None-Match", "If-Range"]

    /// The response headers scripts may read besides the CORS-safelisted ones.
    public static let exposedResponseHeaders = ["Content-Length", "Content-Range", "Accept-Ranges", "ETag"]

    /// The headers of every answer to GET and HEAD (errors too, so scripts can read their status):
    /// `Access-Control-Allow-Origin: *` and `Access-Control-Expose-Headers`.
    public var responseHeaders: [HeaderField] {
        [
            HeaderField("Access-Control-Allow-Origin", "*"),
            HeaderField("Access-Control-Expose-Headers", Self.exposedResponseHeaders.joined(separator: ", ")),
        ]
    }

    /// The headers of an answer to OPTIONS (a CORS preflight): the allowed origin, methods and request headers,
    /// and how long the answer may be reused.
    public var preflightHeaders: [HeaderField] {
        [
            HeaderField("Access-Control-Allow-Origin", "*"),
            HeaderField("Access-Control-Allow-Methods", RequestMethod.allowed.map(\.name).joined(separator: ", ")),
            HeaderField("Access-Control-Allow-Headers", Self.allowedRequestHeaders.joined(separator: ", ")),
            HeaderField("Access-Control-Max-Age", String(preflightMaxAgeSeconds)),
        ]
    }
}
