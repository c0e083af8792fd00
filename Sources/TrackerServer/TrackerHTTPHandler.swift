import NIOCore
import NIOHTTP1
import TrackerProtocol

/// One HTTP connection: GET requests answered from the tracker core, kept alive when the client asks.
/// Request bodies are not expected; a connection that sends more than a few kilobytes of one is closed.
final class TrackerHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    static let maximumBodyBytes = 4096

    private let core: TrackerCore
    private var head: HTTPRequestHead?
    private var bodyBytes = 0
    private var source: TrackerPeerAddress?

    init(core: TrackerCore) {
        self.core = core
    }

    func channelActive(context: ChannelHandlerContext) {
        source = context.channel.remoteAddress.flatMap(TrackerPeerAddress.init)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            bodyBytes = 0
        case .body(let body):
            bodyBytes += body.readableBytes
            if bodyBytes > Self.maximumBodyBytes { context.close(promise: nil) }
        case .end:
            guard let head else { return }
            self.head = nil
            respond(to: head, context: context)
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let answer: TrackerHTTPAnswer
        if head.method != .GET && head.method != .HEAD {
            answer = TrackerHTTPAnswer(
                status: 405, contentType: "text/plain; charset=utf-8", body: Array("only GET is served\n".utf8))
        } else if let source {
            answer = core.answerHTTP(target: Substring(head.uri), source: source)
        } else {
            answer = .notFound
        }
        var headers = HTTPHeaders()
        headers.reserveCapacity(4)
        headers.add(name: "Content-Type", value: answer.contentType)
        headers.add(name: "Content-Length", value: String(answer.body.count))
        if answer.status == 405 { headers.add(name: "Allow", value: "GET, HEAD") }
        let keepAlive = head.isKeepAlive && bodyBytes == 0
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let responseHead = HTTPResponseHead(
            version: head.version, status: HTTPResponseStatus(statusCode: answer.status), headers: headers)
        context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
        if head.method != .HEAD {
            context.write(
                wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: answer.body)))), promise: nil)
        }
        if keepAlive {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        } else {
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // Idle connections are closed: a client that connects and says nothing holds no slot for long.
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A request NIO cannot parse (or one past its header limit) gets a plain 400 and the connection closes.
        if error is HTTPParserError {
            let body = context.channel.allocator.buffer(string: "bad request\n")
            var headers = HTTPHeaders()
            headers.add(name: "Content-Length", value: String(body.readableBytes))
            headers.add(name: "Connection", value: "close")
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .badRequest, headers: headers))),
                promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
        } else {
            context.close(promise: nil)
        }
    }
}
