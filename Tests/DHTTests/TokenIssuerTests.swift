import TestSupport
import Testing

@testable import DHT

@Suite("write tokens")
struct TokenIssuerTests {
    static let host = DHTEndpoint.ipv4(203, 0, 113, 5, port: 1).host
    static let other = DHTEndpoint.ipv4(203, 0, 113, 6, port: 1).host

    @Test func tokensAreValidForTheirAddressOnly() {
        let issuer = TokenIssuer(secret: Array(repeating: 1, count: 32))
        let token = issuer.token(for: Self.host)
        #expect(token.count == DHTLimits.tokenLength)
        #expect(issuer.isValid(token, for: Self.host))
        #expect(!issuer.isValid(token, for: Self.other))
        #expect(issuer.token(for: Self.host) == token, "deterministic within a secret")
        let v6 = DHTEndpoint(addressBytes: [UInt8](repeating: 0x20, count: 16), port: 1)!.host
        #expect(issuer.isValid(issuer.token(for: v6), for: v6))
        #expect(!issuer.isValid(issuer.token(for: v6), for: Self.host))
    }

    @Test func tokensSurviveOneRotationButNotTwo() {
        var issuer = TokenIssuer(secret: Array(repeating: 1, count: 32))
        let old = issuer.token(for: Self.host)
        issuer.rotate(newSecret: Array(repeating: 2, count: 32))
        let new = issuer.token(for: Self.host)
        #expect(new != old)
        #expect(issuer.isValid(old, for: Self.host))
        #expect(issuer.isValid(new, for: Self.host))
        issuer.rotate(newSecret: Array(repeating: 3, count: 32))
        #expect(!issuer.isValid(old, for: Self.host))
        #expect(issuer.isValid(new, for: Self.host))
    }

    @Test func forgedTokensAreRefused() {
        let issuer = TokenIssuer(secret: Array(repeating: 9, count: 32))
        var random = SeededRandom(seed: 1)
        let token = issuer.token(for: Self.host)
        for length in [0, 1, 4, 7, 9, 20, 32] {
            #expect(!issuer.isValid(random.bytes(count: length), for: Self.host))
            #expect(!issuer.isValid(Array(token.prefix(length)), for: Self.host) || length >= token.count)
        }
        for index in token.indices {
            var forged = token
            forged[index] ^= 1
            #expect(!issuer.isValid(forged, for: Self.host))
        }
        let otherIssuer = TokenIssuer(secret: Array(repeating: 8, count: 32))
        #expect(!otherIssuer.isValid(token, for: Self.host))
    }
}
