import NIOCore

/// Writes `PeerWireFrame`s to a peer connection. A piece's block goes out as its own buffer after
/// a 13-byte header, so a block read from storage is never copied into a message buffer.
public final class PeerWireEncoder: ChannelOutboundHandler {
    public typealias OutboundIn = PeerWireFrame
    public typealias OutboundOut = ByteBuffer

    public init() {}

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let frame = unwrapOutboundIn(data)
        if case .message(let message) = frame, case .piece(_, _, let block) = message {
            var header = context.channel.allocator.buffer(capacity: 4 + 1 + PeerWireLimits.pieceHeaderLength)
            message.encodeHeader(into: &header)
            context.write(wrapOutboundOut(header), promise: nil)
            context.write(wrapOutboundOut(block), promise: promise)
            return
        }
        var buffer = context.channel.allocator.buffer(capacity: Self.encodedLength(of: frame))
        frame.encode(into: &buffer)
        context.write(wrapOutboundOut(buffer), promise: promise)
    }

    private static func encodedLength(of frame: PeerWireFrame) -> Int {
        switch frame {
        case .handshake: return Handshake.length
        case .message(let message): return message.encodedLength
        case .unknown(_, let length): return 4 + length
        }
    }
}

@available(*, unavailable)
extension PeerWireEncoder: Sendable {}
