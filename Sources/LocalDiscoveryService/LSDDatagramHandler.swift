import LocalDiscovery
import NIOCore

/// The socket's only handler: on the event loop, it hands every datagram to the service's bounded queue.
/// The receive buffer is one byte longer than `LSDLimits.maximumPacketSize`, so a longer packet arrives cut,
/// is refused by the decoder as too long, and counted. All decisions happen in the service, off the event
/// loop.
final class LSDDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let sink: AsyncStream<LSDDatagram>.Continuation

    init(sink: AsyncStream<LSDDatagram>.Continuation) {
        self.sink = sink
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let source = envelope.remoteAddress.ipAddress else { return }
        sink.yield(LSDDatagram(bytes: Array(envelope.data.readableBytesView), source: source))
    }

    func channelInactive(context: ChannelHandlerContext) {
        sink.finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A failed send surfaces here too; the socket itself is fine.
    }
}
