import Foundation
import Hummingbird
import NIOCore
import NodeAPI

/// The handlers of the control API, one per route, over a ``NodeControl``. ``ControlServer`` mounts
/// them; each turns a request into a call on the node and the answer into JSON, and throws for
/// anything else (``ControlErrorMiddleware`` renders the error).
struct ControlRoutes<Node: NodeControl>: Sendable {
    let node: Node

    func health(_ request: Request, context: some RequestContext) async throws -> Response {
        try JSONResponse.make(try await node.health())
    }

    func list(_ request: Request, context: some RequestContext) async throws -> Response {
        try JSONResponse.make(try await node.list())
    }

    func add(_ request: Request, context: some RequestContext) async throws -> Response {
        let addRequest = try await Self.addRequest(from: request)
        if case .metainfo(let bytes) = addRequest.source, bytes.count > ControlAPI.maximumMetainfoBytes {
            // Base64 in JSON passes the body limit by a third; the torrent inside is still too large.
            throw ControlErrorResponse.invalidInput(
                "the .torrent file is too large: \(bytes.count) bytes, at most \(ControlAPI.maximumMetainfoBytes)",
                status: .contentTooLarge)
        }
        _ = try addRequest.validatedInfoHash()
        let summary = try await node.add(addRequest)
        var response = try JSONResponse.make(summary, status: .created)
        response.headers[.location] = "\(ControlAPI.basePath)/torrents/\(summary.infoHash)"
        return response
    }

    func show(_ request: Request, context: some RequestContext) async throws -> Response {
        try JSONResponse.make(try await node.show(try Self.reference(context)))
    }

    func pause(_ request: Request, context: some RequestContext) async throws -> Response {
        try JSONResponse.make(try await node.pause(try Self.reference(context)))
    }

    func resume(_ request: Request, context: some RequestContext) async throws -> Response {
        try JSONResponse.make(try await node.resume(try Self.reference(context)))
    }

    func remove(_ request: Request, context: some RequestContext) async throws -> Response {
        let reference = try Self.reference(context)
        let deleteData = try Self.flag("deleteData", in: request) ?? false
        try await node.remove(reference, deleteData: deleteData)
        return Response(status: .noContent)
    }

    func setFilePriorities(_ request: Request, context: some RequestContext) async throws -> Response {
        let reference = try Self.reference(context)
        let body = try await Self.json(FilePrioritiesBody.self, from: request)
        return try JSONResponse.make(try await node.setFilePriorities(reference, priorities: body.priorities))
    }

    /// The body of `PUT /torrents/{ref}/files/priorities`.
    struct FilePrioritiesBody: Decodable {
        var priorities: [Int]
    }

    // MARK: Reading requests

    /// The `{ref}` path component, checked and lowercased (``TorrentReference``).
    static func reference(_ context: some RequestContext) throws -> String {
        let text = try context.parameters.require("ref")
        return try TorrentReference(parsing: text).text
    }

    /// A `true`/`false` (or `1`/`0`) query parameter; nil when absent.
    static func flag(_ name: String, in request: Request) throws -> Bool? {
        let values = request.uri.queryParameters.getAll(name)
        guard let value = values.last else { return nil }
        switch value.lowercased() {
        case "true", "1", "": return true
        case "false", "0": return false
        default:
            throw NodeControlError.invalidInput("query parameter '\(name)' must be true or false, not '\(value)'")
        }
    }

    /// `POST /torrents`: a raw .torrent (`application/x-bittorrent`, options in the query) or JSON.
    static func addRequest(from request: Request) async throws -> AddTorrentRequest {
        switch mediaType(of: request) {
        case .some(ControlAPI.torrentMediaType):
            let body = try await collect(request, limit: ControlAPI.maximumMetainfoBytes, what: "a .torrent upload")
            let savePath = request.uri.queryParameters.getAll("savePath").last
            let paused = try flag("paused", in: request) ?? false
            return .metainfo(Array(buffer: body), savePath: savePath, paused: paused)
        case .none, .some(ControlAPI.jsonMediaType):
            return try await json(AddTorrentRequest.self, from: request)
        case .some(let other):
            throw ControlErrorResponse.invalidInput(
                "POST \(ControlAPI.basePath)/torrents takes Content-Type \(ControlAPI.torrentMediaType) (the raw "
                    + ".torrent file) or \(ControlAPI.jsonMediaType), not '\(other)'",
                status: .unsupportedMediaType)
        }
    }

    /// Decodes a JSON body of at most ``ControlAPI/maximumJSONBodyBytes``; a Content-Type other than
    /// JSON is 415, malformed JSON 400.
    static func json<Value: Decodable>(_ type: Value.Type, from request: Request) async throws -> Value {
        if let mediaType = mediaType(of: request), mediaType != ControlAPI.jsonMediaType {
            let route = "\(request.method) \(request.uri.path)"
            throw ControlErrorResponse.invalidInput(
                "\(route) takes Content-Type \(ControlAPI.jsonMediaType), not '\(mediaType)'",
                status: .unsupportedMediaType)
        }
        let body = try await collect(request, limit: ControlAPI.maximumJSONBodyBytes, what: "a JSON body")
        guard body.readableBytes > 0 else { throw NodeControlError.invalidInput("the request has no JSON body") }
        return try NodeAPIJSON.makeDecoder().decode(Value.self, from: Data(body.readableBytesView))
    }

    /// The media type of a request's Content-Type, lowercased and without parameters; nil when absent.
    static func mediaType(of request: Request) -> String? {
        guard let value = request.headers[.contentType] else { return nil }
        let name = value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return String(name.trimmingSpaces().lowercased())
    }

    /// The whole body, refused with 413 past `limit` (by its Content-Length when it gives one).
    static func collect(_ request: Request, limit: Int, what: String) async throws -> ByteBuffer {
        let tooLarge = ControlErrorResponse.invalidInput(
            "request body is too large: \(what) may be at most \(limit) bytes", status: .contentTooLarge)
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit { throw tooLarge }
        do {
            return try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw tooLarge
        }
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var text = self
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return text
    }
}
