import NIOCore

/// An incremental parser for one direction of a peer connection: first the handshake (when
/// expected), then length-prefixed messages.
///
/// Feed it whatever bytes have arrived; `next` consumes what it can and returns one frame, or nil
/// when it needs more bytes. A frame split across any number of reads gives the same result as one
/// read. Lengths are checked as soon as they are known, so an oversized or impossible message is
/// refused before its payload is buffered. After an error the parser keeps throwing the same error.
public struct PeerWireParser: Sendable {
    private enum State: Sendable {
        case handshake
        case lengthPrefix
        /// The length prefix (ID byte plus payload) has been read, the ID byte has not.
        case messageID(length: Int)
        case payload(id: PeerMessageID, length: Int)
        /// An unknown ID whose payload is being discarded as it arrives, so it is never buffered.
        case skipping(id: UInt8, length: Int, remaining: Int)
        case failed(PeerWireError)
    }

    private var state: State

    /// The largest length prefix accepted. A session may lower it once it knows the torrent's
    /// piece count (`PeerWireLimits.maximumMessageLength(pieceCount:)`).
    public var maximumMessageLength: Int

    /// - Parameters:
    ///   - expectingHandshake: false to parse messages only, for a stream whose handshake was
    ///     already read.
    ///   - maximumMessageLength: the largest length prefix accepted.
    public init(
        expectingHandshake: Bool = true,
        maximumMessageLength: Int = PeerWireLimits.defaultMaximumMessageLength
    ) {
        self.state = expectingHandshake ? .handshake : .lengthPrefix
        self.maximumMessageLength = maximumMessageLength
    }

    /// How many bytes the parser's next step consumes at once: the handshake, a length prefix, an ID byte or a
    /// whole payload. A reader that keeps a partial frame needs to collect only this many (1 while skipping,
    /// which consumes whatever arrives; 0 after an error).
    public var bytesNeeded: Int {
        switch state {
        case .handshake: Handshake.length
        case .lengthPrefix: 4
        case .messageID: 1
        case .payload(_, let length): length
        case .skipping: 1
        case .failed: 0
        }
    }

    /// The next complete frame from the front of `buffer`, or nil when more bytes are needed.
    /// Consumed bytes are removed from `buffer`; bytes of an unfinished frame may be consumed too.
    public mutating func next(_ buffer: inout ByteBuffer) throws(PeerWireError) -> PeerWireFrame? {
        do {
            return try step(&buffer)
        } catch {
            state = .failed(error)
            throw error
        }
    }

    /// Call when the stream has ended, with whatever `next` left unconsumed: throws when the
    /// stream stopped in the middle of a frame.
    public func finish(leftover buffer: ByteBuffer) throws(PeerWireError) {
        let pending = buffer.readableBytes
        switch state {
        case .failed(let error):
            throw error
        case .handshake:
            if pending > 0 { throw .truncatedHandshake(received: pending) }
        case .lengthPrefix:
            if pending > 0 { throw .truncatedMessage(received: pending, expected: 4) }
        case .messageID(let length):
            throw .truncatedMessage(received: 4 + pending, expected: 4 + length)
        case .payload(_, let length):
            throw .truncatedMessage(received: 5 + pending, expected: 5 + length)
        case .skipping(_, let length, let remaining):
            throw .truncatedMessage(received: 4 + length - remaining + pending, expected: 4 + length)
        }
    }

    private mutating func step(_ buffer: inout ByteBuffer) throws(PeerWireError) -> PeerWireFrame? {
        while true {
            switch state {
            case .failed(let error):
                throw error

            case .handshake:
                try Handshake.checkPrefix(buffer.readableBytesView)
                guard let bytes = buffer.readBytes(length: Handshake.length) else { return nil }
                let handshake = try Handshake(bytes: bytes)
                state = .lengthPrefix
                return .handshake(handshake)

            case .lengthPrefix:
                guard let prefix = buffer.readInteger(as: UInt32.self) else { return nil }
                let length = Int(prefix)
                if length == 0 { return .message(.keepAlive) }
                guard length <= maximumMessageLength else {
                    throw .messageTooLong(id: nil, length: length, limit: maximumMessageLength)
                }
                state = .messageID(length: length)

            case .messageID(let length):
                guard let rawID = buffer.readInteger(as: UInt8.self) else { return nil }
                let id = PeerMessageID(rawValue: rawID)
                if id.isKnown {
                    try PeerMessage.validate(id: id, payloadLength: length - 1)
                    state = .payload(id: id, length: length - 1)
                } else {
                    state = .skipping(id: rawID, length: length, remaining: length - 1)
                }

            case .payload(let id, let length):
                guard var payload = buffer.readSlice(length: length) else { return nil }
                let message = try PeerMessage.decode(id: id, payload: &payload)
                state = .lengthPrefix
                return .message(message)

            case .skipping(let id, let length, let remaining):
                let available = min(remaining, buffer.readableBytes)
                buffer.moveReaderIndex(forwardBy: available)
                guard available == remaining else {
                    state = .skipping(id: id, length: length, remaining: remaining - available)
                    return nil
                }
                state = .lengthPrefix
                return .unknown(id: id, length: length)
            }
        }
    }
}
