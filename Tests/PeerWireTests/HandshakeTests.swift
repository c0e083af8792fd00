import NIOCore
import TestSupport
import Testing
import TorrentModel

@testable import PeerWire

@Suite struct HandshakeTests {
    @Test func encodesTheBEP3Layout() {
        let bytes = Fixtures.handshake.bytes
        #expect(bytes.count == 68)
        #expect(bytes[0] == 19)
        #expect(Array(bytes[1..<20]) == Array("BitTorrent protocol".utf8))
        #expect(Array(bytes[20..<28]) == [0, 0, 0, 0, 0, 0x10, 0, 0x04])
        #expect(Array(bytes[28..<48]) == Array(1...20))
        #expect(Array(bytes[48..<68]) == Array("-SH0100-abcdefghijkl".utf8))
    }

    @Test func roundTrips() throws {
        let parsed = try Handshake(bytes: Fixtures.handshake.bytes)
        #expect(parsed == Fixtures.handshake)
    }

    @Test(arguments: [
        (ReservedBits.fastExtension, 7, UInt8(0x04)),
        (ReservedBits.extensionProtocol, 5, UInt8(0x10)),
        (ReservedBits.dht, 7, UInt8(0x01)),
    ])
    func eachReservedBitSitsWhereItsBEPSays(bit: ReservedBits, byte: Int, mask: UInt8) throws {
        let handshake = Handshake(reserved: bit, infoHash: Fixtures.infoHash, peerID: Fixtures.peerID)
        var expected = [UInt8](repeating: 0, count: 8)
        expected[byte] = mask
        #expect(Array(handshake.bytes[20..<28]) == expected)

        let parsed = try Handshake(bytes: handshake.bytes)
        #expect(parsed.reserved == bit)
        #expect(parsed.reserved.contains(bit))
        let others = ([.fastExtension, .extensionProtocol, .dht] as [ReservedBits]).filter { $0 != bit }
        for other in others { #expect(!parsed.reserved.contains(other)) }
    }

    @Test func unknownReservedBitsSurviveARoundTrip() throws {
        var bytes = Fixtures.handshake.bytes
        bytes[20] = 0x80  // Azureus messaging protocol
        bytes[27] |= 0x01
        let parsed = try Handshake(bytes: bytes)
        #expect(parsed.reserved.contains(.dht))
        #expect(parsed.reserved.contains(.fastExtension))
        #expect(parsed.reserved.bytes == [0x80, 0, 0, 0, 0, 0x10, 0, 0x05])
        #expect(parsed.bytes == bytes)
        #expect(parsed.reserved.description == "[dht, fast, extensions, other 0x8000000000000000]")
    }

    @Test func reservedBitsFromBytes() {
        #expect(ReservedBits(bytes: [0, 0, 0, 0, 0, 0x10, 0, 0x05]) == [.extensionProtocol, .fastExtension, .dht])
        #expect(ReservedBits(bytes: [0, 0, 0]) == nil)
        #expect(ReservedBits.shoal.bytes == [0, 0, 0, 0, 0, 0x10, 0, 0x04])
    }

    @Test func wrongProtocolStringIsRefused() {
        var bytes = Fixtures.handshake.bytes
        bytes[5] = UInt8(ascii: "X")
        #expect(throws: PeerWireError.notBitTorrent(received: Array(bytes[0..<20]))) {
            try Handshake(bytes: bytes)
        }
    }

    @Test func wrongLengthByteIsRefused() {
        var bytes = Fixtures.handshake.bytes
        bytes[0] = 18
        #expect(throws: PeerWireError.notBitTorrent(received: Array(bytes[0..<20]))) {
            try Handshake(bytes: bytes)
        }
    }

    @Test func truncatedHandshakeIsRefused() {
        let bytes = Array(Fixtures.handshake.bytes.prefix(67))
        #expect(throws: PeerWireError.truncatedHandshake(received: 67)) { try Handshake(bytes: bytes) }
    }

    @Test func httpRequestIsReportedReadably() {
        let error = PeerWireError.notBitTorrent(received: Array("GET / HTTP/1.1\r\nHost".utf8))
        #expect(error.description == #"not a BitTorrent handshake (starts with "GET / HTTP/1.1\x0D\x0AHost")"#)
    }
}

@Suite struct PeerIDTests {
    @Test func generatedIDHasShoalPrefixAndTwelveAlphanumerics() {
        var random = SeededRandom(seed: 7)
        let id = PeerID.generate(using: &random)
        #expect(id.bytes.count == 20)
        #expect(Array(id.bytes.prefix(8)) == Array("-SH0100-".utf8))
        let tail = id.bytes.dropFirst(8)
        #expect(tail.count == 12)
        #expect(tail.allSatisfy { PeerID.randomAlphabet.contains($0) })
        #expect(id.azureusClient == "SH0100")
    }

    @Test func generationIsDeterministicForASeedAndVariesAcrossSeeds() {
        var first = SeededRandom(seed: 99)
        var second = SeededRandom(seed: 99)
        var other = SeededRandom(seed: 100)
        let a = PeerID.generate(using: &first)
        #expect(a == PeerID.generate(using: &second))
        #expect(a != PeerID.generate(using: &other))
        #expect(a != PeerID.generate(using: &first))
    }

    @Test func lengthIsChecked() {
        #expect(PeerID(bytes: Array(repeating: 1, count: 19)) == nil)
        #expect(PeerID(bytes: Array(repeating: 1, count: 21)) == nil)
        #expect(PeerID(bytes: Array(repeating: 1, count: 20)) != nil)
    }

    @Test func descriptionEscapesUnprintableBytes() {
        let id = PeerID(bytes: Array("-qB4650-".utf8) + [0, 0xFF, UInt8(ascii: "%")] + Array("abcdefghi".utf8))!
        #expect(id.description == "-qB4650-%00%FF%25abcdefghi")
        #expect(id.azureusClient == "qB4650")
        #expect(PeerID(bytes: Array(repeating: 0x41, count: 20))!.azureusClient == nil)
    }
}
