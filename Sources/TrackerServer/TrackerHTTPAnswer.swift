import TrackerProtocol

/// What the HTTP side sends back for one request.
public struct TrackerHTTPAnswer: Sendable {
    public var status: Int
    public var contentType: String
    public var body: [UInt8]

    public init(status: Int = 200, contentType: String, body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    /// Announce and scrape answers, failures included: clients expect 200 with a bencoded body.
    static func bencoded(_ body: [UInt8]) -> TrackerHTTPAnswer {
        TrackerHTTPAnswer(contentType: "text/plain", body: body)
    }

    static func failure(_ reason: String) -> TrackerHTTPAnswer {
        bencoded(AnnounceResponseWriter.failure(reason))
    }

    static let notFound = TrackerHTTPAnswer(
        status: 404, contentType: "text/plain; charset=utf-8",
        body: Array("not found: this tracker serves /announce, /scrape, /, /stats.json and /metrics\n".utf8))
}
