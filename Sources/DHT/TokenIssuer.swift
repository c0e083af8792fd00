import Crypto

/// Write tokens (BEP 5): a `get_peers` answer carries a token for the asker's IP address, and an
/// `announce_peer` is accepted only with a token we gave that address. A spoofer never sees tokens for
/// its victim's address, so it cannot announce the victim into a swarm.
///
/// A token is the first `DHTLimits.tokenLength` bytes of HMAC-SHA-1(secret, IP address); no table.
/// The caller rotates the secret every `DHTLimits.tokenRotationInterval` with fresh random bytes;
/// tokens of the current and the previous secret are accepted, so a token lives 5 to 10 minutes.
/// SHA-1 is enough here: a token needs to be unguessable for a few minutes, not collision-proof.
public struct TokenIssuer: Sendable {
    private var current: SymmetricKey
    private var previous: SymmetricKey

    /// `secret` should be at least 16 random bytes, new each time the node starts.
    public init(secret: [UInt8]) {
        current = SymmetricKey(data: secret)
        previous = current
    }

    /// Makes `secret` the current one; tokens of the one it replaces stay valid until the next rotation.
    public mutating func rotate(newSecret secret: [UInt8]) {
        previous = current
        current = SymmetricKey(data: secret)
    }

    /// The token for requests from `host` (its port does not matter: a node may query from one port and
    /// announce from another, as behind some NATs).
    public func token(for host: DHTEndpoint.Host) -> [UInt8] {
        Self.token(for: host, key: current)
    }

    /// True when `token` was issued to `host` under the current or the previous secret.
    public func isValid(_ token: [UInt8], for host: DHTEndpoint.Host) -> Bool {
        guard token.count == DHTLimits.tokenLength else { return false }
        return Self.equalInConstantTime(token, Self.token(for: host, key: current))
            || Self.equalInConstantTime(token, Self.token(for: host, key: previous))
    }

    private static func token(for host: DHTEndpoint.Host, key: SymmetricKey) -> [UInt8] {
        let address = DHTEndpoint(host: host, port: 0).addressBytes
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: address, using: key)
        return Array(Array(mac).prefix(DHTLimits.tokenLength))
    }

    /// No early exit, so response timing tells an attacker nothing about how close a guess was.
    private static func equalInConstantTime(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return zip(lhs, rhs).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
