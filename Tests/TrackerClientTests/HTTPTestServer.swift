import NIOCore
import NIOHTTP1
import NIOPosix

/// A tiny HTTP/1.1 server on 127.0.0.1 (port chosen by the system) that answers each request with
/// what the test's handler says, and records every request target it saw.
final class HTTPTestServer: Sendable {
    enum Reply: Sendable {
        case respond(status: Int, body: [UInt8])
        /// Never answer (to test timeouts).
        case hang
    }

    typealias Handler = @Sendable (_ target: String) -> Reply

    private let channel: any Channel
    private let recorded: Locked<[(target: String, source: String)]>
    let port: Int

    /// Request targets (path and query), in arrival order.
    var targets: [String] { recorded.current.map(\.target) }
    /// The address each request came from, in arrival order.
    var sources: [String] { recorded.current.map(\.source) }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    private init(channel: any Channel, recorded: Locked<[(target: String, source: String)]>) {
        self.channel = channel
        self.recorded = recorded
        self.port = channel.localAddress!.port!
    }

    static func start(handler: @escaping Handler) async throws -> HTTPTestServer {
        let recorded = Locked<[(target: String, source: String)]>([])
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(
                        RequestHandler(handler: handler, recorded: recorded))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return HTTPTestServer(channel: channel, recorded: recorded)
    }

    func shutdown() async throws {
        try await channel.close()
    }

    private final class RequestHandler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let handler: Handler
        let recorded: Locked<[(target: String, source: String)]>
        var target = ""

        init(handler: @escaping Handler, recorded: Locked<[(target: String, source: String)]>) {
            self.handler = handler
            self.recorded = recorded
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                target = head.uri
                let source = context.channel.remoteAddress?.ipAddress ?? "?"
                recorded.withLock { $0.append((head.uri, source)) }
            case .body:
                break
            case .end:
                guard case .respond(let status, let body) = handler(target) else { return }
                var headers = HTTPHeaders()
                headers.add(name: "Content-Type", value: "text/plain")
                headers.add(name: "Content-Length", value: String(body.count))
                let head = HTTPResponseHead(
                    version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers)
                context.write(wrapOutboundOut(.head(head)), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}
