extension PeerTrust {
    /// One block of a piece as it was received: where it sits, who sent it, and a fingerprint of its bytes
    /// (any digest the engine likes, say SHA-1 of the block; only equality matters).
    public struct BlockContribution: Hashable, Sendable {
        public var offset: Int
        public var peer: PeerID
        public var fingerprint: [UInt8]

        public init(offset: Int, peer: PeerID, fingerprint: [UInt8]) {
            self.offset = offset
            self.peer = peer
            self.fingerprint = fingerprint
        }
    }
}
