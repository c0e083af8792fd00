import NIOCore
import TrackerProtocol

/// One HTTP/1.x connection to the tracker, parsed by hand: a tracker needs only the request line and two
/// headers, and per-connection cost decides how many announces a second it answers (clients open a
/// connection per announce). Requests may be pipelined; keep-alive follows HTTP/1.1 and HTTP/1.0 rules.
///
/// Limits: a request head over `maximumHeadBytes` gets a bencoded failure and the connection closes; a
/// request with a body is refused and the connection closes without reading it; a connection silent for
/// `IdleSweeper.timeout` closes.
final class TrackerHTTPConnection: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    static let maximumHeadBytes = 16 * 1024

    private let core: TrackerCore
    private let sweeper: IdleSweeper
    private var pending: ByteBuffer?
    private var source: TrackerPeerAddress?
    private var channel: (any Channel)?
    private(set) var lastActivity = NIODeadline.now()
    /// This connection's place in its loop's `IdleSweeper`; -1 when not in it.
    var sweepSlot = -1
    private var closing = false

    init(core: TrackerCore, sweeper: IdleSweeper) {
        self.core = core
        self.sweeper = sweeper
    }

    func channelActive(context: ChannelHandlerContext) {
        source = context.channel.remoteAddress.flatMap(TrackerPeerAddress.init)
        channel = context.channel
        sweeper.add(self)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        sweeper.remove(self)
        channel = nil
        context.fireChannelInactive()
    }

    /// Silent for `IdleSweeper.timeout`: a client that connects and says nothing holds no slot for long.
    func closeIdle() {
        channel?.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        var incoming = unwrapInboundIn(data)
        lastActivity = .now()
        if pending == nil {
            pending = incoming
        } else {
            pending!.writeBuffer(&incoming)
        }
        while !closing, let head = nextHead() {
            respond(to: head, context: context)
        }
        if !closing, let pending, pending.readableBytes > Self.maximumHeadBytes {
            reply(
                TrackerHTTPAnswer.failure("request too large: the head is over \(Self.maximumHeadBytes) bytes"),
                head: nil, keepAlive: false, context: context)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
        if pending?.readableBytes == 0 { pending = nil }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    // MARK: Parsing

    /// The next complete request head in `pending`, consumed; nil until one has arrived.
    private func nextHead() -> RequestHead? {
        guard var buffer = pending, buffer.readableBytes >= 4 else { return nil }
        let head: RequestHead? =
            buffer.readableBytesView.withContiguousStorageIfAvailable { bytes in
                guard let end = Self.headEnd(bytes) else { return nil }
                return RequestHead(bytes[..<end])
            } ?? nil
        guard let head else { return nil }
        buffer.moveReaderIndex(forwardBy: head.length)
        pending = buffer
        return head
    }

    /// The index just past the blank line that ends the head.
    private static func headEnd(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 3
        while index < bytes.count {
            if bytes[index] == 10 {
                if bytes[index - 1] == 13 && bytes[index - 2] == 10 && bytes[index - 3] == 13 { return index + 1 }
                if bytes[index - 1] == 10 { return index + 1 }  // bare LF line ends, as some clients send
            }
            index += 1
        }
        return nil
    }

    // MARK: Answering

    private func respond(to head: RequestHead, context: ChannelHandlerContext) {
        guard let request = head.request else {
            return reply(.badRequest, head: nil, keepAlive: false, context: context)
        }
        if request.method != "GET" && request.method != "HEAD" {
            return reply(.methodNotAllowed, head: request, keepAlive: false, context: context)
        }
        if request.hasBody {
            return reply(.badRequest, head: request, keepAlive: false, context: context)
        }
        let answer = source.map { core.answerHTTP(target: request.target, source: $0) } ?? .notFound
        reply(answer, head: request, keepAlive: request.keepAlive, context: context)
    }

    private func reply(
        _ answer: TrackerHTTPAnswer, head: RequestHead.Request?, keepAlive: Bool, context: ChannelHandlerContext
    ) {
        let isHTTP10 = head?.isHTTP10 == true
        var buffer = context.channel.allocator.buffer(capacity: 160 + answer.body.count)
        // The common head (200, text/plain) from static text: this runs once per announce.
        if answer.status == 200 && answer.contentType == "text/plain" {
            buffer.writeStaticString(isHTTP10 ? "HTTP/1.0 200 OK\r\n" : "HTTP/1.1 200 OK\r\n")
            buffer.writeStaticString("Content-Type: text/plain\r\nContent-Length: ")
        } else {
            buffer.writeString(
                "\(isHTTP10 ? "HTTP/1.0" : "HTTP/1.1") \(answer.status) \(Self.reason(answer.status))\r\n"
                    + "Content-Type: \(answer.contentType)\r\nContent-Length: ")
        }
        var digits: [UInt8] = []
        AnnounceResponseWriter.writeDecimal(answer.body.count, to: &digits)
        buffer.writeBytes(digits)
        buffer.writeStaticString("\r\n")
        if answer.status == 405 { buffer.writeStaticString("Allow: GET, HEAD\r\n") }
        if !keepAlive {
            buffer.writeStaticString("Connection: close\r\n")
        } else if isHTTP10 {
            buffer.writeStaticString("Connection: keep-alive\r\n")
        }
        buffer.writeStaticString("\r\n")
        if head?.method != "HEAD" { buffer.writeBytes(answer.body) }
        if keepAlive {
            context.write(wrapOutboundOut(buffer), promise: nil)
        } else {
            closing = true
            pending = nil
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(buffer)).whenComplete { _ in channel.close(promise: nil) }
        }
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 400: return "Bad Request"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        default: return "Error"
        }
    }
}

extension TrackerHTTPAnswer {
    static let badRequest = TrackerHTTPAnswer(
        status: 400, contentType: "text/plain; charset=utf-8", body: Array("bad request\n".utf8))
    static let methodNotAllowed = TrackerHTTPAnswer(
        status: 405, contentType: "text/plain; charset=utf-8", body: Array("only GET is served\n".utf8))
}
