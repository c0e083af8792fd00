/// The complete answer to a request for a file of a video torrent — status, headers and which bytes to send —
/// decided without I/O. The HTTP server looks the route's file up, builds a plan and carries it out.
///
/// The rules, in the order RFC 9110 §13.2.2 evaluates them:
///
/// 1. A method other than GET, HEAD and OPTIONS: 405 with `Allow: GET, HEAD, OPTIONS`.
/// 2. OPTIONS: 204 with `Allow` and the CORS preflight headers, whether or not the file exists, so that a
///    browser goes on to make the real request and its script can read the real status.
/// 3. No such file (`file` is nil): 404.
/// 4. `If-None-Match` lists the file's tag (weak comparison) or is `*`: 304 with `ETag` and `Cache-Control`.
///    A malformed `If-None-Match` is ignored.
/// 5. GET with a `Range` (HEAD ignores `Range`, RFC 9110 §14.2) and no `If-Range`, or an `If-Range` whose tag
///    matches the file's strongly: the range decides between 206 (`Content-Range: bytes a-b/length`), 416
///    (`Content-Range: bytes */length`) and 200 (the header is ignored; see `ByteRangeRequest`).
/// 6. Otherwise 200 with the whole file.
///
/// Every answer carries the CORS response headers (preflights their own) and `X-Content-Type-Options:
/// nosniff`, so that no browser guesses a file of a torrent is HTML and runs it in the node's origin. Answers
/// with a file carry `Accept-Ranges: bytes`, `ETag` and the type's `Cache-Control`. Errors have a one-line
/// `text/plain` body for a person and `Cache-Control: no-store`. A HEAD gets the same headers as the GET would,
/// without a body.
public struct HLSResponsePlan: Sendable, Equatable, Hashable {
    public var status: ResponseStatus
    /// In the order to send them; names as written on the wire.
    public var headers: [HeaderField]
    public var body: HLSResponseBody

    public init(status: ResponseStatus, headers: [HeaderField], body: HLSResponseBody) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The bytes of the file to send, if any (nil for HEAD, 304 and errors).
    public var fileRange: Range<Int64>? {
        guard case .file(let range) = body else { return nil }
        return range
    }

    /// The plan for `method` on `file` (nil: the torrent or the file is unknown, 404) with these request headers.
    public init(method: RequestMethod, file: ServedFile?, request: HLSRequestHeaders, cors: CORSPolicy = .standard) {
        switch method {
        case .other(let name):
            self = .error(
                .methodNotAllowed,
                "method '\(HeaderText.excerpt(name))' is not allowed here: use GET, HEAD or OPTIONS",
                method: method, cors: cors, extraHeaders: [Self.allowHeader])
            return
        case .options:
            self.init(status: .noContent, headers: [Self.allowHeader] + cors.preflightHeaders, body: .none)
            return
        case .get, .head:
            break
        }
        guard let file else {
            self = .notFound(method: method, cors: cors)
            return
        }
        let length = max(0, file.length)
        if let header = request.ifNoneMatch, let condition = IfNoneMatch(header: header),
            condition.matches(file.entityTag)
        {
            let headers = [
                HeaderField("ETag", file.entityTag.headerValue),
                HeaderField("Cache-Control", file.contentType.cachePolicy.headerValue),
            ]
            self.init(status: .notModified, headers: headers + cors.responseHeaders, body: .none)
            return
        }
        var resolution = ByteRangeResolution.full
        if method == .get, IfRange.allowsRange(header: request.ifRange, for: file.entityTag) {
            resolution = ByteRangeRequest.resolve(header: request.range, entityLength: length)
        }
        switch resolution {
        case .full:
            self.init(file: file, sending: 0..<length, status: .ok, contentRange: nil, method: method, cors: cors)
        case .partial(let range):
            let contentRange = ContentRange.bytes(range, completeLength: length)
            self.init(
                file: file, sending: range, status: .partialContent, contentRange: contentRange, method: method,
                cors: cors)
        case .unsatisfiable:
            self = .error(
                .rangeNotSatisfiable, "the requested range is outside the file, which is \(length) bytes long",
                method: method, cors: cors,
                extraHeaders: [
                    HeaderField("Content-Range", ContentRange.unsatisfied(completeLength: length).headerValue),
                    HeaderField("Accept-Ranges", "bytes"),
                ])
        }
    }

    /// 404 with `message` (say, which torrent is unknown).
    public static func notFound(
        method: RequestMethod, message: String = "no such file", cors: CORSPolicy = .standard
    ) -> HLSResponsePlan {
        .error(.notFound, message, method: method, cors: cors)
    }

    /// The answer to a request whose path is not a valid route: the error's status (400, or 404 for an unknown
    /// route) and its description.
    public static func rejecting(
        _ error: HLSRouteError, method: RequestMethod, cors: CORSPolicy = .standard
    ) -> HLSResponsePlan {
        .error(error.status, error.description, method: method, cors: cors)
    }

    /// 503 with `Retry-After`: the file's pieces are not verified yet and did not arrive within the wait (players
    /// retry; hls.js and ffmpeg do on a 5xx).
    public static func unavailable(
        retryAfterSeconds: Int, message: String, method: RequestMethod, cors: CORSPolicy = .standard
    ) -> HLSResponsePlan {
        .error(
            .serviceUnavailable, message, method: method, cors: cors,
            extraHeaders: [HeaderField("Retry-After", String(max(0, retryAfterSeconds)))])
    }

    private static let allowHeader = HeaderField("Allow", RequestMethod.allowed.map(\.name).joined(separator: ", "))
    private static let noSniffHeader = HeaderField("X-Content-Type-Options", "nosniff")

    /// 200 or 206 with `range` of `file`.
    private init(
        file: ServedFile, sending range: Range<Int64>, status: ResponseStatus, contentRange: ContentRange?,
        method: RequestMethod, cors: CORSPolicy
    ) {
        var headers = [
            HeaderField("Content-Type", file.contentType.mediaType),
            HeaderField("Content-Length", String(range.count)),
        ]
        if let contentRange { headers.append(HeaderField("Content-Range", contentRange.headerValue)) }
        headers += [
            HeaderField("Accept-Ranges", "bytes"),
            HeaderField("ETag", file.entityTag.headerValue),
            HeaderField("Cache-Control", file.contentType.cachePolicy.headerValue),
            Self.noSniffHeader,
        ]
        self.init(status: status, headers: headers + cors.responseHeaders, body: method == .head ? .none : .file(range))
    }

    private static func error(
        _ status: ResponseStatus, _ message: String, method: RequestMethod, cors: CORSPolicy,
        extraHeaders: [HeaderField] = []
    ) -> HLSResponsePlan {
        let text = message + "\n"
        var headers = [
            HeaderField("Content-Type", "text/plain; charset=utf-8"),
            HeaderField("Content-Length", String(text.utf8.count)),
        ]
        headers += extraHeaders
        headers += [HeaderField("Cache-Control", CachePolicy.noStore.headerValue), noSniffHeader]
        return HLSResponsePlan(
            status: status, headers: headers + cors.responseHeaders, body: method == .head ? .none : .text(text))
    }
}
