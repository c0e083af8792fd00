extension PeerRequestQueue {
    /// What a `piece` message from the peer turned out to be.
    public enum Arrival: Hashable, Sendable {
        /// The answer to an outstanding request: store the block.
        case expected
        /// The answer to a request we abandoned (cancelled, timed out or dropped on choke): harmless, the block
        /// may still be used if it is still missing.
        case cancelledButArrived
        /// Nobody asked for this block: disconnect (BEP 6 makes this a MUST).
        case unrequested
        /// A block we asked for, but with a different length: disconnect.
        case wrongSize(expected: Int)

        /// True when the connection must be closed.
        public var isProtocolViolation: Bool {
            switch self {
            case .expected, .cancelledButArrived: false
            case .unrequested, .wrongSize: true
            }
        }
    }
}
