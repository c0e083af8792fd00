import NIOCore

/// Turns a peer connection's bytes into `PeerWireFrame`s and passes on the frames of each socket read as
/// one array, so the session is entered once per read rather than once per 16 KiB block.
///
/// Unlike a `ByteToMessageHandler`, it never gathers reads into one growing buffer: frames are cut as
/// slices of the buffer they arrived in (a block's bytes are not copied), and only a frame split across
/// two reads has its bytes copied, into a buffer of exactly the size the parser's next step needs.
/// A malformed stream fires the `PeerWireError` down the pipeline and everything after it is ignored.
public final class PeerWireFrameReader: ChannelInboundHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = [PeerWireFrame]

    /// Frames are passed on at least this often within one long read.
    public static let maximumBatch = 256

    private var parser: PeerWireParser
    /// Bytes of a frame that the parser cannot take yet; at most `parser.bytesNeeded` of them.
    private var partial: ByteBuffer?
    private var frames: [PeerWireFrame] = []
    private var failed = false

    public init(
        expectingHandshake: Bool = true,
        maximumMessageLength: Int = PeerWireLimits.defaultMaximumMessageLength
    ) {
        parser = PeerWireParser(expectingHandshake: expectingHandshake, maximumMessageLength: maximumMessageLength)
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        var incoming = unwrapInboundIn(data)
        do {
            if var pending = partial {
                partial = nil
                // Complete the split frame from the front of this read, then go on with the rest of it.
                while pending.readableBytes > 0 {
                    let missing = parser.bytesNeeded - pending.readableBytes
                    if missing > 0 {
                        let take = min(missing, incoming.readableBytes)
                        if take > 0 {
                            var part = incoming.readSlice(length: take)!
                            pending.writeBuffer(&part)
                        }
                        if take < missing {
                            partial = pending
                            return
                        }
                    }
                    try drain(&pending, context: context)
                }
            }
            try drain(&incoming, context: context)
            if incoming.readableBytes > 0 { keepPartial(incoming, context: context) }
        } catch {
            fail(error, context: context)
        }
    }

    public func channelReadComplete(context: ChannelHandlerContext) {
        flush(context)
        context.fireChannelReadComplete()
    }

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        flush(context)
        context.fireErrorCaught(error)
    }

    public func channelInactive(context: ChannelHandlerContext) {
        flush(context)
        if !failed {
            // A peer that hangs up mid-frame is worth a log line.
            do {
                try parser.finish(leftover: partial ?? ByteBuffer())
            } catch {
                fail(error, context: context)
            }
        }
        partial = nil
        context.fireChannelInactive()
    }

    /// Parses every whole frame at the front of `buffer`.
    private func drain(_ buffer: inout ByteBuffer, context: ChannelHandlerContext) throws(PeerWireError) {
        while let frame = try parser.next(&buffer) {
            frames.append(frame)
            if frames.count >= Self.maximumBatch { flush(context) }
        }
    }

    /// Keeps the unfinished end of a read in a buffer of its own, sized for the parser's next step, so the
    /// read's buffer (and the blocks sliced from it) is not held or grown.
    private func keepPartial(_ bytes: ByteBuffer, context: ChannelHandlerContext) {
        var bytes = bytes
        var kept = context.channel.allocator.buffer(capacity: max(parser.bytesNeeded, bytes.readableBytes))
        kept.writeBuffer(&bytes)
        partial = kept
    }

    private func fail(_ error: PeerWireError, context: ChannelHandlerContext) {
        failed = true
        partial = nil
        flush(context)
        context.fireErrorCaught(error)
    }

    private func flush(_ context: ChannelHandlerContext) {
        guard !frames.isEmpty else { return }
        let batch = frames
        frames = []
        context.fireChannelRead(wrapInboundOut(batch))
    }
}
