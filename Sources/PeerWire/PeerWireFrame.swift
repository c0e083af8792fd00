import NIOCore

/// One thing read from a peer connection.
public enum PeerWireFrame: Hashable, Sendable {
    /// Always the first frame of a connection whose parser expects a handshake.
    case handshake(Handshake)
    case message(PeerMessage)
    /// A message with an ID Shoal does not know; its payload of `length - 1` bytes was skipped.
    /// `length` is the length prefix. Reported so the session can log it.
    case unknown(id: UInt8, length: Int)
}

extension PeerWireFrame {
    /// Writes the frame. An `unknown` frame is written as that ID with a zero-filled payload: the
    /// exact inverse of what the parser reports, which lets tests play a peer sending unknown IDs.
    public func encode(into buffer: inout ByteBuffer) {
        switch self {
        case .handshake(let handshake):
            handshake.encode(into: &buffer)
        case .message(let message):
            message.encode(into: &buffer)
        case .unknown(let id, let length):
            precondition(length >= 1 && length <= UInt32.max, "an unknown message has at least its ID byte")
            buffer.writeInteger(UInt32(length))
            buffer.writeInteger(id)
            buffer.writeRepeatingByte(0, count: length - 1)
        }
    }
}

extension PeerWireFrame: CustomStringConvertible {
    public var description: String {
        switch self {
        case .handshake(let handshake): return handshake.description
        case .message(let message): return message.description
        case .unknown(let id, let length): return "unknown message ID \(id) (\(length) bytes)"
        }
    }
}
