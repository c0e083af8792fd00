import NIOCore

/// Turns a peer connection's bytes into `PeerWireFrame`s; a thin shell around `PeerWireParser`.
/// A malformed stream throws, which fires the `PeerWireError` down the pipeline so the connection
/// can log the reason and close.
public struct PeerWireDecoder: ByteToMessageDecoder, Sendable {
    public typealias InboundOut = PeerWireFrame

    private var parser: PeerWireParser

    public init(
        expectingHandshake: Bool = true,
        maximumMessageLength: Int = PeerWireLimits.defaultMaximumMessageLength
    ) {
        parser = PeerWireParser(expectingHandshake: expectingHandshake, maximumMessageLength: maximumMessageLength)
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try parser.next(&buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(frame))
        return .continue
    }

    public mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        if try decode(context: context, buffer: &buffer) == .continue { return .continue }
        // A peer that hangs up mid-message is worth a log line; a removed handler is not an error.
        if seenEOF { try parser.finish(leftover: buffer) }
        return .needMoreData
    }
}
