import NIOCore
import TrackerProtocol

/// The UDP side (BEP 15): every datagram answered from the tracker core, or dropped.
final class TrackerUDPHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    /// Longer than any request BEP 15 and BEP 41 allow (a full scrape is 16 + 74 × 20 bytes).
    static let maximumPacketBytes = 2048

    private let core: TrackerCore

    init(core: TrackerCore) {
        self.core = core
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard envelope.data.readableBytes <= Self.maximumPacketBytes,
            let source = TrackerPeerAddress(envelope.remoteAddress)
        else {
            core.counters.udpDropped.add(1, ordering: .relaxed)
            return
        }
        guard let reply = core.answerUDP(Array(envelope.data.readableBytesView), source: source) else { return }
        let buffer = context.channel.allocator.buffer(bytes: reply)
        context.writeAndFlush(
            wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: buffer)), promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // An ICMP "port unreachable" for an earlier reply surfaces here; the socket itself is fine.
    }
}
