import NIOCore
import PeerWire

/// Hands the frames decoded from one socket read to the async side as one array, so the session is
/// entered once per read instead of once per 16 KiB block. Order is kept; nothing is held back past the
/// end of a read, an error or the close.
final class PeerWireFrameBatcher: ChannelInboundHandler {
    typealias InboundIn = PeerWireFrame
    typealias InboundOut = [PeerWireFrame]

    /// Frames are passed on at least this often within one long read.
    static let maximumBatch = 256

    private var pending: [PeerWireFrame] = []

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        pending.append(unwrapInboundIn(data))
        if pending.count >= Self.maximumBatch { flush(context) }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flush(context)
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        flush(context)
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        flush(context)
        context.fireChannelInactive()
    }

    private func flush(_ context: ChannelHandlerContext) {
        guard !pending.isEmpty else { return }
        let batch = pending
        pending = []
        context.fireChannelRead(wrapInboundOut(batch))
    }
}
