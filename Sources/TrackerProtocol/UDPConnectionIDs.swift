import Crypto

/// BEP 15 connection ids that need no table and cannot be forged: the first 8 bytes of an HMAC of the
/// client's IP address and the current time window, under a secret only this tracker knows. Not of its
/// port: clients may send each request from a new socket and reuse the id (BEP 15 allows it), and a
/// spoofer cannot learn the id for an address whatever its port.
///
/// An id is accepted in the window it was made in and the next one, so it lives `window` to 2 × `window`
/// seconds: BEP 15 lets a client use an id for a minute, and a tracker accept it for two. A client
/// that spoofs its source address never sees the id, so it cannot make the tracker answer a victim.
public struct UDPConnectionIDs: Sendable {
    private let key: SymmetricKey
    /// Seconds per window.
    public let window: UInt32

    /// `secret` should be 32 random bytes, new each time the tracker starts.
    public init(secret: [UInt8], window: UInt32 = 60) {
        precondition(window > 0, "a time window of at least a second")
        self.key = SymmetricKey(data: secret)
        self.window = window
    }

    public func issue(for address: TrackerPeerAddress, now: UInt32) -> UInt64 {
        id(for: address, window: now / window)
    }

    public func isValid(_ id: UInt64, for address: TrackerPeerAddress, now: UInt32) -> Bool {
        let current = now / window
        if id == self.id(for: address, window: current) { return true }
        return current > 0 && id == self.id(for: address, window: current - 1)
    }

    private func id(for address: TrackerPeerAddress, window: UInt32) -> UInt64 {
        var message: [UInt8] = []
        message.reserveCapacity(22)
        for shift in stride(from: 24, through: 0, by: -8) { message.append(UInt8(truncatingIfNeeded: window >> shift)) }
        address.withPort(0).appendCompact(to: &message)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: key)
        return mac.withUnsafeBytes { raw in raw.prefix(8).reduce(0) { $0 << 8 | UInt64($1) } }
    }
}
