import Streaming
import Testing

@Suite("HLS response plans")
struct HLSResponsePlanTests {
    typealias F = HTTPTestFixtures

    static func plan(
        _ method: RequestMethod = .get, _ file: ServedFile? = F.segment, range: String? = nil,
        ifNoneMatch: String? = nil, ifRange: String? = nil
    ) -> HLSResponsePlan {
        HLSResponsePlan(
            method: method, file: file,
            request: HLSRequestHeaders(range: range, ifNoneMatch: ifNoneMatch, ifRange: ifRange))
    }

    static let segmentHeaders =
        [
            HeaderField("Content-Type", "video/mp4"),
            HeaderField("Content-Length", "1000"),
            HeaderField("Accept-Ranges", "bytes"),
            HeaderField("ETag", F.segmentTag),
            HeaderField("Cache-Control", "public, max-age=31536000, immutable"),
            HeaderField("X-Content-Type-Options", "nosniff"),
        ] + F.corsResponse

    // MARK: Whole files

    @Test func getSendsTheWholeFile() {
        let plan = Self.plan()
        #expect(plan.status == .ok)
        #expect(plan.headers == Self.segmentHeaders)
        #expect(plan.body == .file(0..<1000))
        #expect(plan.fileRange == 0..<1000)
    }

    @Test func headSendsTheSameHeadersWithoutABody() {
        let plan = Self.plan(.head)
        #expect(plan.status == .ok)
        #expect(plan.headers == Self.segmentHeaders)
        #expect(plan.body == .none)
        #expect(plan.fileRange == nil)
    }

    @Test func playlistsAreNotCached() {
        let plan = Self.plan(.get, F.playlist)
        #expect(plan.status == .ok)
        #expect(
            plan.headers == [
                HeaderField("Content-Type", "application/vnd.apple.mpegurl"),
                HeaderField("Content-Length", "120"),
                HeaderField("Accept-Ranges", "bytes"),
                HeaderField("ETag", F.playlistTag),
                HeaderField("Cache-Control", "no-cache"),
                HeaderField("X-Content-Type-Options", "nosniff"),
            ] + F.corsResponse)
        #expect(plan.fileRange == 0..<120)
    }

    @Test func emptyFiles() {
        let plan = Self.plan(.get, F.empty)
        #expect(plan.status == .ok)
        #expect(plan.headers.value(named: "Content-Length") == "0")
        #expect(plan.fileRange == 0..<0)
        // A non-zero suffix is ignored, other ranges are unsatisfiable.
        #expect(Self.plan(.get, F.empty, range: "bytes=-10").status == .ok)
        let unsatisfiable = Self.plan(.get, F.empty, range: "bytes=0-")
        #expect(unsatisfiable.status == .rangeNotSatisfiable)
        #expect(unsatisfiable.headers.value(named: "Content-Range") == "bytes */0")
    }

    // MARK: Ranges

    @Test func rangeGets206() {
        let plan = Self.plan(range: "bytes=0-499")
        #expect(plan.status == .partialContent)
        #expect(
            plan.headers == [
                HeaderField("Content-Type", "video/mp4"),
                HeaderField("Content-Length", "500"),
                HeaderField("Content-Range", "bytes 0-499/1000"),
                HeaderField("Accept-Ranges", "bytes"),
                HeaderField("ETag", F.segmentTag),
                HeaderField("Cache-Control", "public, max-age=31536000, immutable"),
                HeaderField("X-Content-Type-Options", "nosniff"),
            ] + F.corsResponse)
        #expect(plan.fileRange == 0..<500)
    }

    @Test(
        arguments: [
            ("bytes=0-", 0..<1000, "bytes 0-999/1000"),
            ("bytes=500-", 500..<1000, "bytes 500-999/1000"),
            ("bytes=-100", 900..<1000, "bytes 900-999/1000"),
            ("bytes=-5000", 0..<1000, "bytes 0-999/1000"),
            ("bytes=999-999", 999..<1000, "bytes 999-999/1000"),
            ("bytes=990-99999999999999999999999", 990..<1000, "bytes 990-999/1000"),
            ("BYTES = 10 - 19", 10..<20, "bytes 10-19/1000"),
        ] as [(String, Range<Int64>, String)])
    func ranges(header: String, range: Range<Int64>, contentRange: String) {
        let plan = Self.plan(range: header)
        #expect(plan.status == .partialContent)
        #expect(plan.fileRange == range)
        #expect(plan.headers.value(named: "Content-Range") == contentRange)
        #expect(plan.headers.value(named: "Content-Length") == String(range.count))
    }

    @Test(arguments: ["bytes=1000-", "bytes=1000-2000", "bytes=99999999999999999999999-", "bytes=-0"])
    func unsatisfiableRangeGets416(header: String) {
        let plan = Self.plan(range: header)
        #expect(plan.status == .rangeNotSatisfiable)
        let message = "the requested range is outside the file, which is 1000 bytes long\n"
        #expect(
            plan.headers == [
                HeaderField("Content-Type", "text/plain; charset=utf-8"),
                HeaderField("Content-Length", String(message.utf8.count)),
                HeaderField("Content-Range", "bytes */1000"),
                HeaderField("Accept-Ranges", "bytes"),
                HeaderField("Cache-Control", "no-store"),
                HeaderField("X-Content-Type-Options", "nosniff"),
            ] + F.corsResponse)
        #expect(plan.body == .text(message))
        #expect(plan.fileRange == nil)
    }

    @Test(arguments: [
        "bytes=0-1,5-6", "bytes=5-2", "items=0-5", "garbage", "bytes=--5", "bytes=-5-10", "",
        "bytes=0-1,bytes=2-3",
    ])
    func ignoredRangeGets200(header: String) {
        let plan = Self.plan(range: header)
        #expect(plan.status == .ok)
        #expect(plan.headers == Self.segmentHeaders)
        #expect(plan.fileRange == 0..<1000)
    }

    @Test func headIgnoresRange() {
        let plan = Self.plan(.head, range: "bytes=0-499")
        #expect(plan.status == .ok)
        #expect(plan.headers == Self.segmentHeaders)
        #expect(plan.body == .none)
        #expect(Self.plan(.head, range: "bytes=5000-").status == .ok)
    }

    // MARK: Conditional requests

    @Test(arguments: [F.segmentTag, "W/" + F.segmentTag, "*", "\"other\", " + F.segmentTag])
    func matchingIfNoneMatchGets304(header: String) {
        for method in [RequestMethod.get, .head] {
            let plan = Self.plan(method, ifNoneMatch: header)
            #expect(plan.status == .notModified)
            #expect(
                plan.headers == [
                    HeaderField("ETag", F.segmentTag),
                    HeaderField("Cache-Control", "public, max-age=31536000, immutable"),
                ] + F.corsResponse)
            #expect(plan.body == .none)
        }
        // If-None-Match is evaluated before Range.
        #expect(Self.plan(range: "bytes=0-1", ifNoneMatch: header).status == .notModified)
        #expect(Self.plan(range: "bytes=5000-", ifNoneMatch: header).status == .notModified)
    }

    @Test func playlist304KeepsNoCache() {
        let plan = Self.plan(.get, F.playlist, ifNoneMatch: F.playlistTag)
        #expect(plan.status == .notModified)
        #expect(plan.headers.value(named: "Cache-Control") == "no-cache")
    }

    @Test(arguments: ["\"other\"", F.segmentTag + "x", "garbage", "", F.playlistTag])
    func otherIfNoneMatchGets200(header: String) {
        let plan = Self.plan(ifNoneMatch: header)
        #expect(plan.status == .ok)
        #expect(plan.fileRange == 0..<1000)
        #expect(Self.plan(range: "bytes=0-1", ifNoneMatch: header).status == .partialContent)
    }

    @Test func ifRangeWithTheCurrentTagAppliesTheRange() {
        let plan = Self.plan(range: "bytes=0-499", ifRange: F.segmentTag)
        #expect(plan.status == .partialContent)
        #expect(plan.fileRange == 0..<500)
        #expect(Self.plan(range: "bytes=5000-", ifRange: F.segmentTag).status == .rangeNotSatisfiable)
    }

    @Test(arguments: [
        "\"other\"", "W/" + F.segmentTag, "Sun, 06 Nov 1994 08:49:37 GMT", "garbage\"", "\"unterminated", "",
    ])
    func ifRangeWithoutAStrongMatchSendsTheWholeFile(header: String) {
        let plan = Self.plan(range: "bytes=0-499", ifRange: header)
        #expect(plan.status == .ok)
        #expect(plan.headers == Self.segmentHeaders)
        #expect(plan.fileRange == 0..<1000)
        // Even when the range could not be satisfied.
        #expect(Self.plan(range: "bytes=5000-", ifRange: header).status == .ok)
    }

    @Test func ifRangeWithoutRangeIsIgnored() {
        #expect(Self.plan(ifRange: "\"other\"").status == .ok)
        #expect(Self.plan(ifRange: F.segmentTag).status == .ok)
    }

    // MARK: Methods and errors

    @Test func optionsIsAPreflight() {
        for file in [F.segment, nil] {
            let plan = Self.plan(.options, file, range: "bytes=0-1")
            #expect(plan.status == .noContent)
            #expect(
                plan.headers == [
                    HeaderField("Allow", "GET, HEAD, OPTIONS"),
                    HeaderField("Access-Control-Allow-Origin", "*"),
                    HeaderField("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS"),
                    HeaderField("Access-Control-Allow-Headers", "Range, If-None-Match, If-Range"),
                    HeaderField("Access-Control-Max-Age", "86400"),
                ])
            #expect(plan.body == .none)
            #expect(plan.headers.value(named: "Content-Length") == nil)
        }
    }

    @Test(arguments: ["POST", "PUT", "DELETE", "PATCH", "get", "Head", "TRACE", "CONNECT"])
    func otherMethodsGet405(name: String) {
        let method = RequestMethod(name)
        #expect(method == .other(name))
        for file in [F.segment, nil] {
            let plan = Self.plan(method, file, range: "bytes=0-1")
            let message = "method '\(name)' is not allowed here: use GET, HEAD or OPTIONS\n"
            #expect(plan.status == .methodNotAllowed)
            #expect(
                plan.headers == [
                    HeaderField("Content-Type", "text/plain; charset=utf-8"),
                    HeaderField("Content-Length", String(message.utf8.count)),
                    HeaderField("Allow", "GET, HEAD, OPTIONS"),
                    HeaderField("Cache-Control", "no-store"),
                    HeaderField("X-Content-Type-Options", "nosniff"),
                ] + F.corsResponse)
            #expect(plan.body == .text(message))
        }
    }

    @Test func methodsByName() {
        #expect(RequestMethod("GET") == .get)
        #expect(RequestMethod("HEAD") == .head)
        #expect(RequestMethod("OPTIONS") == .options)
        #expect(RequestMethod.other("BREW").name == "BREW")
        #expect(RequestMethod.allowed.map(\.description) == ["GET", "HEAD", "OPTIONS"])
    }

    @Test func unknownFileGets404() {
        let plan = Self.plan(.get, nil, range: "bytes=0-1", ifNoneMatch: "*")
        #expect(plan.status == .notFound)
        #expect(
            plan.headers == [
                HeaderField("Content-Type", "text/plain; charset=utf-8"),
                HeaderField("Content-Length", "13"),
                HeaderField("Cache-Control", "no-store"),
                HeaderField("X-Content-Type-Options", "nosniff"),
            ] + F.corsResponse)
        #expect(plan.body == .text("no such file\n"))
        let head = Self.plan(.head, nil)
        #expect(head.status == .notFound)
        #expect(head.headers == plan.headers)
        #expect(head.body == .none)
    }

    @Test func notFoundWithAMessage() {
        let plan = HLSResponsePlan.notFound(method: .get, message: "no torrent \(F.infoHashHex) on this node")
        #expect(plan.status == .notFound)
        let body = "no torrent \(F.infoHashHex) on this node\n"
        #expect(plan.body == .text(body))
        #expect(plan.headers.value(named: "Content-Length") == "65")
        #expect(body.utf8.count == 65)
    }

    @Test func routeErrors() {
        let bad = HLSResponsePlan.rejecting(.dotSegment(".."), method: .get)
        #expect(bad.status == .badRequest)
        #expect(bad.body == .text("'..' is not allowed in a path\n"))
        #expect(bad.headers.value(named: "Access-Control-Allow-Origin") == "*")
        #expect(bad.headers.value(named: "Cache-Control") == "no-store")
        let unknown = HLSResponsePlan.rejecting(.unknownRoute, method: .head)
        #expect(unknown.status == .notFound)
        #expect(unknown.body == .none)
        #expect(ResponseStatus.rangeNotSatisfiable.description == "416 Range Not Satisfiable")
        #expect(ResponseStatus.partialContent.code == 206)
    }

    /// A parsed route, a lookup and a plan, the way the HTTP server will use them.
    @Test func fromRequestPathToPlan() throws {
        let route = try HLSRoute(requestPath: "/v/\(F.infoHashHex)/segment-00000.m4s")
        guard case .file(let infoHash, let path) = route else {
            Issue.record("expected a file route")
            return
        }
        let files = [["master.m3u8"], ["media.m3u8"], ["init.mp4"], [".pad", "100"], ["segment-00000.m4s"]]
        let index = try #require(files.firstIndex(of: path))
        let file = ServedFile(
            length: 1000, contentType: ContentType(path: path),
            entityTag: EntityTag(infoHash: infoHash, fileIndex: index, length: 1000))
        #expect(file == F.segment)
        let plan = HLSResponsePlan(method: .get, file: file, request: HLSRequestHeaders(range: "bytes=100-199"))
        #expect(plan.status == .partialContent)
        #expect(plan.fileRange == 100..<200)
    }
}
