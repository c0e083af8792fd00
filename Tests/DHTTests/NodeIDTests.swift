import TestSupport
import Testing

@testable import DHT

@Suite("node IDs")
struct NodeIDTests {
    @Test func bytesRoundTripAndOrderIsBigEndian() {
        var random = SeededRandom(seed: 1)
        for _ in 0..<100 {
            let bytes = random.bytes(count: 20)
            let id = NodeID(bytes: bytes)!
            #expect(id.bytes == bytes)
            let other = NodeID(bytes: random.bytes(count: 20))!
            #expect((id < other) == bytes.lexicographicallyPrecedes(other.bytes))
        }
        #expect(NodeID(bytes: [UInt8](repeating: 0, count: 19)) == nil)
        #expect(NodeID(bytes: [UInt8](repeating: 0, count: 21)) == nil)
        #expect(NodeID.zero.bytes == [UInt8](repeating: 0, count: 20))
        #expect(Fixtures.id("0123456789abcdef").description.hasPrefix("0123456789abcdef0000"))
    }

    @Test func distanceIsXORAndCommonPrefixCountsLeadingEqualBits() {
        let a = Fixtures.id("ff00")
        let b = Fixtures.id("f0f0")
        #expect(a.distance(to: b) == Fixtures.id("0ff0"))
        #expect(a.distance(to: a) == .zero)
        #expect(a.commonPrefixLength(with: b) == 4)
        #expect(a.commonPrefixLength(with: a) == 160)
        for bit in [0, 1, 63, 64, 100, 127, 128, 150, 159] {
            var bytes = a.bytes
            bytes[bit / 8] ^= 0x80 >> UInt8(bit % 8)
            let flipped = NodeID(bytes: bytes)!
            #expect(a.commonPrefixLength(with: flipped) == bit, "bit \(bit)")
            #expect(flipped.bit(bit) != a.bit(bit))
        }
    }

    @Test func closerMeansSmallerDistance() {
        let target = Fixtures.id("8000")
        let near = Fixtures.id("8001")
        let far = Fixtures.id("0001")
        #expect(near.distance(to: target) < far.distance(to: target))
    }

    @Test func randomIDsInABucketShareExactlyThePrefix() {
        var random = SeededRandom(seed: 7)
        let base = NodeID.random(using: &random)
        for length in [0, 1, 7, 8, 63, 64, 65, 127, 128, 129, 158, 159] {
            for _ in 0..<20 {
                let id = NodeID.random(sharingPrefixOf: base, length: length, flippingNextBit: true, using: &random)
                #expect(id.commonPrefixLength(with: base) == length, "length \(length)")
                let loose = NodeID.random(sharingPrefixOf: base, length: length, flippingNextBit: false, using: &random)
                #expect(loose.commonPrefixLength(with: base) >= length)
            }
        }
        #expect(NodeID.random(sharingPrefixOf: base, length: 160, flippingNextBit: true, using: &random) == base)
    }

    @Test func masksHaveTheRightLeadingBits() {
        for count in 0...160 {
            #expect(NodeID.mask(leadingBits: count).distance(to: .zero).leadingZeroBitCount == (count == 0 ? 160 : 0))
            let inverted = NodeID(
                bytes: NodeID.mask(leadingBits: count).bytes.map { ~$0 })!
            #expect(inverted.leadingZeroBitCount == count)
        }
    }

    @Test func crc32cMatchesTheStandardCheckValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([]) == 0)
    }

    /// The examples of BEP 42.
    @Test(arguments: [
        ("124.31.75.21", "5fbfbff10c5d6a4ec8a88e4c6ab4c28b95eee401"),
        ("21.75.31.124", "5a3ce9c14e7a08645677bbd1cfe7d8f956d53256"),
        ("65.23.51.170", "a5d43220bc8f112a3d426c84764f8c2a1150e616"),
        ("84.124.73.14", "1b0321dd1bb1fe518101ceef99462b947a01ff41"),
        ("43.213.53.83", "e56f6cbf5b7c4be0237986d5243b87aa6d51305a"),
    ])
    func secureIDsOfBEP42AreValid(address: String, hex: String) {
        let octets = address.split(separator: ".").map { UInt8($0)! }
        let host = DHTEndpoint.ipv4(octets[0], octets[1], octets[2], octets[3], port: 1).host
        let id = Fixtures.id(hex)
        #expect(id.isSecure(for: host))
        var bytes = id.bytes
        bytes[1] ^= 0x01
        #expect(!NodeID(bytes: bytes)!.isSecure(for: host))
        bytes = id.bytes
        bytes[2] ^= 0x08  // the 21st bit
        #expect(!NodeID(bytes: bytes)!.isSecure(for: host))
        bytes = id.bytes
        bytes[2] ^= 0x04  // a free bit
        #expect(NodeID(bytes: bytes)!.isSecure(for: host))
    }

    @Test func generatedSecureIDsValidateForTheirAddressOnly() {
        var random = SeededRandom(seed: 42)
        let v4 = DHTEndpoint.ipv4(124, 31, 75, 21, port: 1).host
        let v6 = DHTEndpoint(addressBytes: [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 7, count: 12), port: 1)!.host
        let otherV4 = DHTEndpoint.ipv4(124, 31, 76, 21, port: 1).host
        var rejectedElsewhere = 0
        for _ in 0..<50 {
            let id = NodeID.secure(for: v4, using: &random)
            #expect(id.isSecure(for: v4))
            if !id.isSecure(for: otherV4) { rejectedElsewhere += 1 }
            let id6 = NodeID.secure(for: v6, using: &random)
            #expect(id6.isSecure(for: v6))
        }
        #expect(rejectedElsewhere > 40)
        // Only the masked bits count: the low bits of the last octet are not masked, the top 6 of the first are.
        let id = NodeID.secure(for: v4, using: &random)
        #expect(id.isSecure(for: DHTEndpoint.ipv4(124 ^ 0x80, 31, 75, 21, port: 1).host))
    }

    @Test func privateAndLoopbackAddressesAreExempt() {
        let random = Fixtures.id("0123")
        for address in [
            (10, 1, 2, 3), (127, 0, 0, 1), (172, 16, 0, 1), (172, 31, 9, 9), (192, 168, 1, 1), (169, 254, 3, 3),
        ] {
            let host = DHTEndpoint.ipv4(UInt8(address.0), UInt8(address.1), UInt8(address.2), UInt8(address.3), port: 1)
                .host
            #expect(random.isSecure(for: host))
        }
        #expect(!random.isSecure(for: DHTEndpoint.ipv4(172, 32, 0, 1, port: 1).host))
        #expect(!random.isSecure(for: DHTEndpoint.ipv4(8, 8, 8, 8, port: 1).host))
        #expect(random.isSecure(for: .v6(0, 1)))
        #expect(random.isSecure(for: .v6(0xFD00_0000_0000_0000, 5)))
        #expect(random.isSecure(for: .v6(0xFE80_0000_0000_0000, 5)))
        #expect(!random.isSecure(for: .v6(0x2001_0DB8_0000_0000, 5)))
    }
}
