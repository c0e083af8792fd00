import ControlServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NodeAPI
import Testing

/// The control API on the real router, driven without sockets (`.router`), with a fake node.
func withRouter<Value: Sendable>(
    _ node: FakeNode = FakeNode(), _ test: @Sendable (any TestClientProtocol) async throws -> Value
) async throws -> Value {
    let app = ControlServer.makeApplication(node: node, port: 0, logger: quietLogger)
    return try await app.test(.router, test)
}

/// Headers with one `Host` field (besides the authority "localhost" the router test framework sets).
func hostHeader(_ value: String) -> HTTPFields { [.init("Host")!: value] }
let base = ControlAPI.basePath

extension TestResponse {
    func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
        try NodeAPIJSON.makeDecoder().decode(type, from: Data(body.readableBytesView))
    }

    /// The JSON error body; records an issue when the body is not one.
    func errorBody(sourceLocation: SourceLocation = #_sourceLocation) throws -> APIErrorBody {
        #expect(
            headers[.contentType]?.hasPrefix("application/json") == true, "error without a JSON content type",
            sourceLocation: sourceLocation)
        return try decode(APIErrorBody.self)
    }

    var text: String { String(buffer: body) }
}

func json(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

let jsonHeaders: HTTPFields = [.contentType: "application/json"]

/// The servers' logger in tests. The tests provoke 500s on purpose, and stop live servers by
/// cancelling their task (HummingbirdCore logs that as an error), so only critical lines are shown.
let quietLogger: Logger = {
    var logger = Logger(label: "control-api-test")
    logger.logLevel = .critical
    return logger
}()
