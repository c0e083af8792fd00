import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NodeAPI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Calls a running node's control API at `http://127.0.0.1:PORT/api/v1` (docs/api.md).
///
/// The node's refusals come back as the ``NodeAPI/NodeControlError`` they were on the node; failing to
/// reach it at all throws ``NodeClientError``, ``NodeClientError/noNodeRunning(port:)`` when nothing
/// listens on the port. References are checked before anything is sent.
///
/// The client owns an HTTP client on NIO's shared event loops: call ``shutdown()`` when done, or use
/// ``withClient(port:connectTimeout:requestTimeout:_:)``, which does.
public final class NodeClient: NodeControl {
    /// How long connecting to the node may take: it is on this machine, so a short time.
    public static let defaultConnectTimeout: Duration = .seconds(2)
    /// How long one request may take, answer included.
    public static let defaultRequestTimeout: Duration = .seconds(30)
    /// The largest answer read (a torrent of a million files gives a detail of roughly 100 MB).
    public static let maximumResponseBytes = 256 * 1024 * 1024

    public let port: Int
    public let requestTimeout: Duration
    private let baseURL: String
    private let httpClient: HTTPClient

    public init(
        port: Int = ControlAPI.defaultPort, connectTimeout: Duration = NodeClient.defaultConnectTimeout,
        requestTimeout: Duration = NodeClient.defaultRequestTimeout
    ) {
        self.port = port
        self.requestTimeout = requestTimeout
        self.baseURL = "http://127.0.0.1:\(port)\(ControlAPI.basePath)"
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: TimeAmount(connectTimeout)))
        // A refused connection means "no node": fail at once instead of retrying until the timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.httpVersion = .http1Only
        self.httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Runs `body` with a client and shuts the client down afterwards, whether `body` throws or not.
    @discardableResult
    public static func withClient<Value: Sendable>(
        port: Int = ControlAPI.defaultPort, connectTimeout: Duration = NodeClient.defaultConnectTimeout,
        requestTimeout: Duration = NodeClient.defaultRequestTimeout,
        _ body: (NodeClient) async throws -> Value
    ) async throws -> Value {
        let client = NodeClient(port: port, connectTimeout: connectTimeout, requestTimeout: requestTimeout)
        let result: Value
        do {
            result = try await body(client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        return result
    }

    /// Closes the client's connections. Required before the client is released.
    public func shutdown() async throws {
        try await httpClient.shutdown()
    }

    // MARK: NodeControl

    public func health() async throws -> NodeHealth {
        try await call(.GET, "/health", json: nil)
    }

    public func list() async throws -> [TorrentSummary] {
        try await call(.GET, "/torrents", json: nil)
    }

    public func add(_ request: AddTorrentRequest) async throws -> TorrentSummary {
        try await call(.POST, "/torrents", json: try Self.encode(request))
    }

    public func show(_ reference: String) async throws -> TorrentDetail {
        try await call(.GET, try Self.torrentPath(reference), json: nil)
    }

    public func pause(_ reference: String) async throws -> TorrentSummary {
        try await call(.POST, try Self.torrentPath(reference, "/pause"), json: nil)
    }

    public func resume(_ reference: String) async throws -> TorrentSummary {
        try await call(.POST, try Self.torrentPath(reference, "/resume"), json: nil)
    }

    public func remove(_ reference: String, deleteData: Bool) async throws {
        let path = try Self.torrentPath(reference) + "?deleteData=\(deleteData)"
        _ = try await send(.DELETE, path, body: nil)
    }

    public func setFilePriorities(_ reference: String, priorities: [Int]) async throws -> TorrentDetail {
        let path = try Self.torrentPath(reference, "/files/priorities")
        return try await call(.PUT, path, json: try Self.encode(PrioritiesBody(priorities: priorities)))
    }

    private struct PrioritiesBody: Encodable {
        var priorities: [Int]
    }

    // MARK: Transport

    /// `/torrents/{ref}` plus a suffix, after checking the reference (only hex digits reach the URL).
    static func torrentPath(_ reference: String, _ suffix: String = "") throws(NodeControlError) -> String {
        "/torrents/\(try TorrentReference(parsing: reference).text)\(suffix)"
    }

    private static func encode(_ value: some Encodable) throws -> [UInt8] {
        [UInt8](try NodeAPIJSON.makeEncoder().encode(value))
    }

    private func call<Answer: Decodable>(_ method: HTTPMethod, _ path: String, json: [UInt8]?) async throws -> Answer {
        let (status, answer) = try await send(method, path, body: json)
        do {
            return try NodeAPIJSON.makeDecoder().decode(Answer.self, from: Data(answer.readableBytesView))
        } catch {
            throw NodeClientError.unexpectedResponse(
                status: status, message: "could not read the answer to \(method) \(path): \(error)")
        }
    }

    /// Sends one request; returns a 2xx answer's status and body, throws for anything else.
    private func send(_ method: HTTPMethod, _ path: String, body: [UInt8]?) async throws -> (Int, ByteBuffer) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Accept", value: ControlAPI.jsonMediaType)
        if let body {
            request.headers.add(name: "Content-Type", value: ControlAPI.jsonMediaType)
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let status: Int
        let answer: ByteBuffer
        do {
            let response = try await httpClient.execute(request, timeout: TimeAmount(requestTimeout))
            status = Int(response.status.code)
            answer = try await response.body.collect(upTo: Self.maximumResponseBytes)
        } catch {
            throw Self.transportError(error, port: port, timeout: requestTimeout)
        }
        guard (200..<300).contains(status) else { throw Self.failure(status: status, body: answer) }
        return (status, answer)
    }

    /// The error a non-2xx answer stands for: the node's own error when the body is one, otherwise
    /// ``NodeClientError/unexpectedResponse(status:message:)``.
    static func failure(status: Int, body: ByteBuffer) -> any Error {
        if let errorBody = try? NodeAPIJSON.makeDecoder().decode(APIErrorBody.self, from: Data(body.readableBytesView))
        {
            return NodeControlError(body: errorBody)
                ?? NodeClientError.unexpectedResponse(status: status, message: errorBody.message)
        }
        let text = String(buffer: body).prefix(200)
        let message =
            text.isEmpty
            ? "no error body; is something other than a Shoal node listening there?"
            : "not a Shoal error body: \(text)"
        return NodeClientError.unexpectedResponse(status: status, message: message)
    }

    /// What a failure to exchange a request with the node means for the user.
    static func transportError(_ error: any Error, port: Int, timeout: Duration) -> any Error {
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        switch error {
        case is CancellationError, is NodeClientError:
            return error
        case is NIOTooManyBytesError:
            return NodeClientError.unexpectedResponse(
                status: 200, message: "the answer is larger than \(maximumResponseBytes) bytes")
        case let error as NIOConnectionError:
            let refused = error.connectionErrors.contains { isConnectionRefused($0.error) }
            return refused
                ? NodeClientError.noNodeRunning(port: port)
                : NodeClientError.connectionFailed(port: port, reason: "\(error)")
        case let error where isConnectionRefused(error):
            return NodeClientError.noNodeRunning(port: port)
        case let error as HTTPClientError:
            switch error {
            case .connectTimeout, .deadlineExceeded, .readTimeout, .writeTimeout, .getConnectionFromPoolTimeout:
                return NodeClientError.timedOut(port: port, seconds: seconds)
            case .remoteConnectionClosed:
                return NodeClientError.connectionFailed(port: port, reason: "the node closed the connection")
            default:
                return NodeClientError.connectionFailed(port: port, reason: "\(error)")
            }
        case let error as ChannelError:
            if case .connectTimeout = error { return NodeClientError.timedOut(port: port, seconds: seconds) }
            return NodeClientError.connectionFailed(port: port, reason: "\(error)")
        default:
            return NodeClientError.connectionFailed(port: port, reason: "\(error)")
        }
    }

    private static func isConnectionRefused(_ error: any Error) -> Bool {
        (error as? IOError)?.errnoCode == ECONNREFUSED
    }
}
