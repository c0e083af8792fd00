import DHT
import NIOCore

/// The socket's only handler: on the event loop, it drops packets too long to be KRPC (the receive
/// buffer is one byte longer than the limit, so longer ones arrive cut and are recognised) and hands the
/// rest to the node's bounded queue. All decisions happen in the node, off the event loop.
final class DHTDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let sink: AsyncStream<DHTDatagram>.Continuation

    init(sink: AsyncStream<DHTDatagram>.Continuation) {
        self.sink = sink
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard envelope.data.readableBytes <= DHTLimits.maximumPacketSize,
            let source = DHTEndpoint(envelope.remoteAddress)
        else { return }
        sink.yield(DHTDatagram(bytes: Array(envelope.data.readableBytesView), source: source))
    }

    func channelInactive(context: ChannelHandlerContext) {
        sink.finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // An ICMP "port unreachable" for an earlier packet surfaces here; the socket itself is fine.
    }
}
