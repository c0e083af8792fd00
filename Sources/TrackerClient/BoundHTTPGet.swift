import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One HTTP(S) GET on a connection of its own that leaves from a chosen local address. A tracker lists a peer
/// at the address its announce came from, so a node bound to one address must announce from it; and
/// async-http-client cannot bind its sockets.
///
/// The exchange and its time limit run on the channel's event loop, and the caller awaits only the answer, as
/// with async-http-client: a busy cooperative thread pool delays when the caller sees the answer, never whether
/// the tracker answered in time.
struct BoundHTTPGet: Sendable {
    let localAddress: SocketAddress
    let group: any EventLoopGroup
    let timeout: Duration
    let maximumBodySize: Int

    /// The status and body of the answer to a GET of `url`, or why there is none.
    func fetch(_ url: String) async throws(TrackerClientError) -> (status: Int, body: [UInt8]) {
        guard let parts = TrackerURL.httpParts(url) else { throw .invalidURL(url) }
        let answer = group.next().makePromise(of: HTTPAnswer.self)
        let channel: any Channel
        do {
            channel = try await connect(parts, answer: answer)
        } catch {
            answer.fail(error)
            if case .connectTimeout? = error as? ChannelError { throw .timedOut }
            throw Task.isCancelled ? .cancelled : .network(String(describing: error))
        }
        do {
            let received = try await withTaskCancellationHandler {
                try await answer.futureResult.get()
            } onCancel: {
                channel.close(promise: nil)
            }
            return (received.status, received.body)
        } catch let error as TrackerClientError {
            throw Task.isCancelled ? .cancelled : error
        } catch {
            throw Task.isCancelled ? .cancelled : .network(String(describing: error))
        }
    }

    private func connect(
        _ parts: (tls: Bool, host: String, port: Int, target: String), answer: EventLoopPromise<HTTPAnswer>
    ) async throws -> any Channel {
        let isLiteral = (try? SocketAddress(ipAddress: parts.host, port: parts.port)) != nil
        let tlsContext = parts.tls ? try Self.tlsContext.get() : nil
        let defaultPort = parts.tls ? 443 : 80
        let hostText = parts.host.contains(":") ? "[\(parts.host)]" : parts.host
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: parts.target)
        head.headers.add(name: "Host", value: parts.port == defaultPort ? hostText : "\(hostText):\(parts.port)")
        head.headers.add(name: "Connection", value: "close")
        let request = head
        let timeout = TimeAmount(timeout)
        let limit = maximumBodySize
        return try await ClientBootstrap(group: group)
            .bind(to: localAddress)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tlsContext {
                        // SNI names hosts, never addresses.
                        let handler = try NIOSSLClientHandler(
                            context: tlsContext, serverHostname: isLiteral ? nil : parts.host)
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(
                        HTTPAnswerCollector(request: request, answer: answer, timeout: timeout, limit: limit))
                }
            }
            .connect(host: parts.host, port: parts.port).get()
    }

    /// Loading the system's trust roots is slow, so every HTTPS announce shares one context.
    private static let tlsContext = Result { try NIOSSLContext(configuration: .makeClientConfiguration()) }
}

/// A tracker's answer: status and body.
struct HTTPAnswer: Sendable {
    var status: Int
    var body: [UInt8]
}

/// Sends the request once connected and completes `answer` with the response, a too-large body, the time limit
/// or the connection's end, whichever comes first; then closes the connection. Runs on the channel's loop.
private final class HTTPAnswerCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let request: HTTPRequestHead
    private let answer: EventLoopPromise<HTTPAnswer>
    private let timeout: TimeAmount
    private let limit: Int
    private var status: Int?
    private var body: [UInt8] = []
    private var isDone = false
    private var timer: Scheduled<Void>?

    init(request: HTTPRequestHead, answer: EventLoopPromise<HTTPAnswer>, timeout: TimeAmount, limit: Int) {
        self.request = request
        self.answer = answer
        self.timeout = timeout
        self.limit = limit
    }

    func channelActive(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: timeout) {
            let (collector, context) = loopBound.value
            collector.finish(.failure(TrackerClientError.timedOut), context: context)
        }
        context.write(wrapOutboundOut(.head(request)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !isDone else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
        case .body(let buffer):
            guard body.count + buffer.readableBytes <= limit else {
                return finish(.failure(TrackerClientError.responseTooLarge(limit: limit)), context: context)
            }
            body.append(contentsOf: buffer.readableBytesView)
        case .end:
            guard let status else { return }
            finish(.success(HTTPAnswer(status: status, body: body)), context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(.failure(TrackerClientError.network(String(describing: error))), context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(
            .failure(TrackerClientError.network("the connection closed before the whole answer came")),
            context: context)
        context.fireChannelInactive()
    }

    private func finish(_ result: Result<HTTPAnswer, any Error>, context: ChannelHandlerContext) {
        guard !isDone else { return }
        isDone = true
        timer?.cancel()
        answer.completeWith(result)
        context.close(promise: nil)
    }
}
