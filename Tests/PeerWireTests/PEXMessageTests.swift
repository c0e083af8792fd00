import Bencode
import NIOCore
import TestSupport
import Testing

@testable import PeerWire

@Suite struct PEXMessageTests {
    static func v4(_ last: UInt8, port: UInt16 = 6881) -> PEXMessage.Address {
        PEXMessage.Address(addressBytes: [10, 0, 0, last], port: port)!
    }

    static func v6(_ last: UInt8, port: UInt16 = 6881) -> PEXMessage.Address {
        PEXMessage.Address(
            addressBytes: [0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 11) + [last], port: port)!
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func encodesCanonicallyWithEveryKey() {
        let message = PEXMessage(
            added: [
                PEXMessage.Peer(
                    address: PEXMessage.Address(addressBytes: Array("abcd".utf8), port: 0x6566)!,
                    flags: [.seed, .connectable])
            ],
            dropped: [PEXMessage.Address(addressBytes: Array("wxyz".utf8), port: 0x3132)!])
        #expect(
            Self.text(message.encoded())
                == "d5:added6:abcdef7:added.f1:\u{12}6:added60:8:added6.f0:7:dropped6:wxyz128:dropped60:e")
        #expect(
            Self.text(PEXMessage().encoded()) == "d5:added0:7:added.f0:6:added60:8:added6.f0:7:dropped0:8:dropped60:e")
    }

    @Test func flagsHaveTheBitsOfBEP11() {
        #expect(PEXMessage.Flags.encryption.rawValue == 0x01)
        #expect(PEXMessage.Flags.seed.rawValue == 0x02)
        #expect(PEXMessage.Flags.uTP.rawValue == 0x04)
        #expect(PEXMessage.Flags.holepunch.rawValue == 0x08)
        #expect(PEXMessage.Flags.connectable.rawValue == 0x10)
    }

    @Test func roundTripsBothFamilies() throws {
        let message = PEXMessage(
            added: [
                PEXMessage.Peer(address: Self.v4(1), flags: [.encryption, .uTP]),
                PEXMessage.Peer(address: Self.v4(2, port: 1)),
                PEXMessage.Peer(address: Self.v6(3), flags: [.seed, .holepunch, .connectable]),
            ],
            dropped: [Self.v4(9), Self.v6(10, port: 65535)])
        let decoded = try PEXMessage.decode(message.encoded())
        #expect(decoded == message)
        // Canonical: a strict decoder that insists on sorted keys reads it, and encoding again is identical.
        #expect(throws: Never.self) { try BencodeDecoder.decode(message.encoded()) }
        #expect(decoded.encoded() == message.encoded())
        let extended = message.message(extensionID: 7)
        guard case .extended(let id, let payload) = extended else {
            Issue.record("expected an extended message")
            return
        }
        #expect(id == 7)
        #expect(try PEXMessage.decode(payload) == message)
    }

    @Test func randomMessagesRoundTrip() throws {
        var random = SeededRandom(seed: 17)
        for _ in 0..<200 {
            let addedCount = random.below(51)
            let added = (0..<addedCount).map { _ in
                let address =
                    random.below(2) == 0
                    ? PEXMessage.Address(
                        addressBytes: random.bytes(count: 4), port: UInt16(truncatingIfNeeded: random.next()))!
                    : PEXMessage.Address(
                        addressBytes: random.bytes(count: 16), port: UInt16(truncatingIfNeeded: random.next()))!
                return PEXMessage.Peer(address: address, flags: PEXMessage.Flags(rawValue: random.nextByte() & 0x1F))
            }
            let dropped = (0..<random.below(51)).map { _ in
                PEXMessage.Address(addressBytes: random.bytes(count: random.below(2) == 0 ? 4 : 16), port: 1)!
            }
            let message = PEXMessage(added: added, dropped: dropped)
            let decoded = try PEXMessage.decode(message.encoded())
            // The decoder lists IPv4 peers first; the sets are what must match.
            #expect(Set(decoded.added) == Set(added))
            #expect(Set(decoded.dropped) == Set(dropped))
            #expect(decoded.added.count == added.count && decoded.dropped.count == dropped.count)
        }
    }

    @Test func encodingCapsAddedAndDroppedAtFifty() throws {
        let many = (0..<120).map { PEXMessage.Peer(address: Self.v4(UInt8($0))) }
        let message = PEXMessage(added: many, dropped: many.map(\.address))
        let decoded = try PEXMessage.decode(message.encoded())
        #expect(decoded.added == Array(many.prefix(50)))
        #expect(decoded.dropped.count == 50)
    }

    @Test func missingKeysMeanEmptyListsAndMissingFlagsMeanNone() throws {
        #expect(try PEXMessage.decode(Array("de".utf8)) == PEXMessage())
        let message = try PEXMessage.decode(Array("d5:added6:abcdefe".utf8))
        #expect(
            message.added == [
                PEXMessage.Peer(address: PEXMessage.Address(addressBytes: Array("abcd".utf8), port: 0x6566)!)
            ])
        // Unknown keys, unsorted keys and nested extras are tolerated.
        let extra = try PEXMessage.decode(Array("d7:dropped6:wxyz125:added6:abcdef1:xli1eee".utf8))
        #expect(extra.added.count == 1 && extra.dropped.count == 1)
    }

    @Test(arguments: [
        ("", "not valid bencode"),
        ("garbage", "not valid bencode"),
        ("le", "not a dictionary"),
        ("i5e", "not a dictionary"),
        ("d5:addedi1ee", "'added' is not a byte string"),
        ("d7:added.fle5:added0:e", "'added.f' is not a byte string"),
        ("d8:dropped6d1:ai1eee", "'dropped6' is not a byte string"),
        ("d5:added5:abcdee", "'added' is 5 bytes, not a multiple of 6"),
        ("d6:added66:abcdefe", "'added6' is 6 bytes, not a multiple of 18"),
        ("d7:dropped7:abcdefge", "'dropped' is 7 bytes, not a multiple of 6"),
        ("d8:dropped617:abcdefghijklmnopqe", "'dropped6' is 17 bytes"),
        ("d5:added6:abcdef7:added.f2:\u{1}\u{2}e", "'added.f' has 2 flags for 1 peers"),
        ("d7:added.f1:\u{1}e", "'added.f' has 1 flags for 0 peers"),
        ("d5:added6:abcdef5:added6:abcdefe", "duplicate dictionary key"),
        ("d5:added6:abcdefee", "trailing byte"),
        ("d5:added6:abc", "runs past the end"),
    ])
    func malformedPayloadsAreRefused(text: String, expected: String) {
        do {
            let message = try PEXMessage.decode(Array(text.utf8))
            Issue.record("accepted \(text) as \(message)")
        } catch {
            #expect(error.description.contains(expected), "\(text): \(error)")
            #expect(error.description.hasPrefix("invalid ut_pex message"))
        }
    }

    @Test func hugeListsAreRefused() {
        let limit = PEXMessage.maximumDecodedEntries
        let huge = "d5:added\((limit + 1) * 6):" + String(repeating: "a", count: (limit + 1) * 6) + "e"
        #expect(throws: PEXMessage.DecodingError.tooManyEntries(key: "added", count: limit + 1, limit: limit)) {
            try PEXMessage.decode(Array(huge.utf8))
        }
        let atLimit = "d5:added\(limit * 6):" + String(repeating: "a", count: limit * 6) + "e"
        #expect((try? PEXMessage.decode(Array(atLimit.utf8)))?.added.count == limit)
    }

    @Test func garbageNeverCrashesTheDecoder() {
        var random = SeededRandom(seed: 23)
        let valid = PEXMessage(
            added: [PEXMessage.Peer(address: Self.v4(1), flags: .seed), PEXMessage.Peer(address: Self.v6(2))],
            dropped: [Self.v4(3)]
        ).encoded()
        for _ in 0..<3_000 {
            var bytes = valid
            for _ in 0..<(1 + random.below(3)) {
                switch random.below(3) {
                case 0: bytes[random.below(bytes.count)] = random.nextByte()
                case 1: bytes.removeSubrange(random.below(bytes.count)..<bytes.count)
                default: bytes.insert(random.nextByte(), at: random.below(bytes.count))
                }
                if bytes.isEmpty { bytes = [0] }
            }
            if let message = try? PEXMessage.decode(bytes) {
                #expect((try? PEXMessage.decode(message.encoded())).map { Set($0.added) } == Set(message.added))
            }
        }
    }

    @Test func addressesPrintReadably() {
        #expect(Self.v4(7).description == "10.0.0.7:6881")
        #expect(Self.v6(1, port: 80).description == "[2001:db8:0:0:0:0:0:1]:80")
        #expect(PEXMessage.Address(addressBytes: [1, 2, 3], port: 1) == nil)
    }
}
