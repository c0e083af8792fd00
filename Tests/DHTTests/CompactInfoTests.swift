import TestSupport
import Testing

@testable import DHT

@Suite("compact node and peer info")
struct CompactInfoTests {
    static let v6Address: [UInt8] = [0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]

    @Test func peerInfoIsAddressThenPortBigEndian() {
        let peer = DHTEndpoint.ipv4(192, 0, 2, 1, port: 0x1AE1)
        #expect(peer.compactBytes == [192, 0, 2, 1, 0x1A, 0xE1])
        #expect(DHTEndpoint(compact: peer.compactBytes) == peer)
        #expect(peer.description == "192.0.2.1:6881")
        let v6 = DHTEndpoint(addressBytes: Self.v6Address, port: 443)!
        #expect(v6.compactBytes == Self.v6Address + [1, 187])
        #expect(v6.compactBytes.count == 18)
        #expect(DHTEndpoint(compact: v6.compactBytes) == v6)
        #expect(v6.family == .ipv6 && peer.family == .ipv4)
        #expect(v6.description == "[2001:db8:0:0:0:0:0:1]:443")
    }

    @Test(arguments: [0, 1, 5, 7, 17, 19, 26])
    func peerInfoOfAnyOtherLengthIsRefused(length: Int) {
        #expect(DHTEndpoint(compact: [UInt8](repeating: 1, count: length)) == nil)
        #expect(DHTEndpoint(addressBytes: [UInt8](repeating: 1, count: length), port: 1) == nil)
    }

    @Test func nodeListsRoundTripPerFamily() throws {
        var random = SeededRandom(seed: 3)
        let v4 = (0..<8).map {
            CompactNodeInfo(id: .random(using: &random), endpoint: .ipv4(10, 0, 0, UInt8($0), port: 6881))
        }
        let v6 = (0..<3).map {
            CompactNodeInfo(
                id: .random(using: &random),
                endpoint: DHTEndpoint(addressBytes: Self.v6Address, port: UInt16(1000 + $0))!)
        }
        let bytes = CompactNodeInfo.encodeList(v4 + v6, family: .ipv4)
        #expect(bytes.count == 8 * 26)
        #expect(try CompactNodeInfo.decodeList(bytes, family: .ipv4, key: "nodes") == v4)
        let bytes6 = CompactNodeInfo.encodeList(v4 + v6, family: .ipv6)
        #expect(bytes6.count == 3 * 38)
        #expect(try CompactNodeInfo.decodeList(bytes6, family: .ipv6, key: "nodes6") == v6)
        #expect(try CompactNodeInfo.decodeList([], family: .ipv4, key: "nodes") == [])
        #expect(Array(bytes.prefix(20)) == v4[0].id.bytes)
    }

    @Test func misalignedNodeListsAreRefused() {
        for length in [1, 25, 27, 38, 51] {
            #expect(throws: KRPCDecodingError.Reason.misaligned(key: "nodes", length: length, entrySize: 26)) {
                try CompactNodeInfo.decodeList([UInt8](repeating: 0, count: length), family: .ipv4, key: "nodes")
            }
        }
        #expect(throws: KRPCDecodingError.Reason.misaligned(key: "nodes6", length: 26, entrySize: 38)) {
            try CompactNodeInfo.decodeList([UInt8](repeating: 0, count: 26), family: .ipv6, key: "nodes6")
        }
    }
}
