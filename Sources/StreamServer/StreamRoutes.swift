import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Streaming
import StreamingEngine
import TorrentModel

/// The handlers of the streaming routes over a `StreamCatalog`: the files of a torrent (`/v/<infohash>/<path>`),
/// its player page (`/watch/<infohash>`) and its figures as JSON (`/api/torrents/<infohash>`). The HTTP semantics
/// (ranges, conditional requests, CORS, errors) come from `HLSResponsePlan`; this only looks files up, waits for
/// their pieces and sends verified bytes.
struct StreamRoutes: Sendable {
    let catalog: StreamCatalog

    func file(_ request: Request, context: some RequestContext) async throws -> Response {
        let method = RequestMethod(request.method.rawValue)
        let found: (route: HLSRoute, torrent: StreamingTorrent)
        switch lookUp(request, method: method) {
        case .success(let value): found = value
        case .failure(let answer): return answer.response
        }
        guard case .file(_, let path) = found.route else { return Self.response(.notFound(method: method)) }
        let torrent = found.torrent
        let fileIndex = torrent.fileIndex(atPath: path)
        let headers = HLSRequestHeaders(
            range: Self.field(.range, of: request), ifNoneMatch: Self.field(.ifNoneMatch, of: request),
            ifRange: Self.field(.ifRange, of: request))
        let plan = HLSResponsePlan(method: method, file: fileIndex.map(torrent.servedFile), request: headers)
        guard let range = plan.fileRange, let fileIndex else { return Self.response(plan) }
        guard await torrent.prepare(fileIndex: fileIndex, range: range) else {
            return Self.response(
                HLSResponsePlan.unavailable(
                    retryAfterSeconds: 1,
                    message: "the pieces of /\(path.joined(separator: "/")) are still on their way: retry shortly",
                    method: method))
        }
        let body = ResponseBody(contentLength: range.count) { writer in
            var offset = range.lowerBound
            while offset < range.upperBound {
                let end = min(offset + Int64(StreamingTorrent.readChunk), range.upperBound)
                let bytes = try await torrent.read(fileIndex: fileIndex, range: offset..<end)
                try await writer.write(ByteBuffer(bytes: bytes))
                offset = end
            }
            try await writer.finish(nil)
        }
        return Response(status: HTTPResponse.Status(code: plan.status.code), headers: Self.fields(plan), body: body)
    }

    func player(_ request: Request, context: some RequestContext) async throws -> Response {
        let method = RequestMethod(request.method.rawValue)
        let found: (route: HLSRoute, torrent: StreamingTorrent)
        switch lookUp(request, method: method) {
        case .success(let value): found = value
        case .failure(let answer): return answer.response
        }
        guard case .player(let infoHash) = found.route else { return Self.response(.notFound(method: method)) }
        let torrent = found.torrent
        let html = PlayerPage.html(infoHash: infoHash, name: torrent.metainfo.name)
        var fields = HTTPFields()
        fields[.contentType] = "text/html; charset=utf-8"
        fields[.cacheControl] = "no-store"
        fields[.init("X-Content-Type-Options")!] = "nosniff"
        let buffer = ByteBuffer(string: html)
        return Response(
            status: .ok, headers: fields, body: method == .head ? ResponseBody() : .init(byteBuffer: buffer))
    }

    func status(_ request: Request, context: some RequestContext) async throws -> Response {
        let text = try context.parameters.require("infohash")
        guard text.count == 40, let infoHash = InfoHash(text), let torrent = catalog.torrent(infoHash) else {
            return Self.jsonError(.notFound, "no torrent \(text.prefix(40)) is being served")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(await torrent.status())
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        fields[.cacheControl] = "no-store"
        fields[.accessControlAllowOrigin] = "*"
        return Response(status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    // MARK: - Helpers

    /// An answer that ends a request early (a bad path, an unknown torrent).
    struct EarlyAnswer: Error {
        let response: Response
    }

    /// The request's route and the torrent it names, or the answer for a bad path or an unknown torrent.
    func lookUp(
        _ request: Request, method: RequestMethod
    ) -> Result<(route: HLSRoute, torrent: StreamingTorrent), EarlyAnswer> {
        let route: HLSRoute
        do {
            route = try HLSRoute(requestPath: request.uri.path)
        } catch {
            return .failure(EarlyAnswer(response: Self.response(HLSResponsePlan.rejecting(error, method: method))))
        }
        guard let torrent = catalog.torrent(route.infoHash) else {
            let plan = HLSResponsePlan.notFound(
                method: method, message: "no torrent \(route.infoHash.hex) is being served")
            return .failure(EarlyAnswer(response: Self.response(plan)))
        }
        return .success((route, torrent))
    }

    /// A header's value; several lines of it joined with `, ` (RFC 9110 §5.3).
    static func field(_ name: HTTPField.Name, of request: Request) -> String? {
        let values = request.headers[values: name]
        return values.isEmpty ? nil : values.joined(separator: ", ")
    }

    static func fields(_ plan: HLSResponsePlan) -> HTTPFields {
        var fields = HTTPFields()
        for header in plan.headers {
            guard let name = HTTPField.Name(header.name) else { continue }
            fields.append(HTTPField(name: name, value: header.value))
        }
        return fields
    }

    /// A plan without file bytes (errors, HEAD, 304, OPTIONS).
    static func response(_ plan: HLSResponsePlan) -> Response {
        let body: ResponseBody
        switch plan.body {
        case .text(let text): body = ResponseBody(byteBuffer: ByteBuffer(string: text))
        case .none, .file: body = ResponseBody()
        }
        return Response(status: HTTPResponse.Status(code: plan.status.code), headers: fields(plan), body: body)
    }

    static func jsonError(_ status: HTTPResponse.Status, _ message: String) -> Response {
        let escaped = message.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        return Response(
            status: status, headers: fields,
            body: .init(byteBuffer: ByteBuffer(string: "{\"error\":\"not_found\",\"message\":\"\(escaped)\"}\n")))
    }
}
