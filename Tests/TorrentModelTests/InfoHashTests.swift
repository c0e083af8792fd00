import TestSupport
import Testing
import TorrentModel

@Suite("InfoHash, hex and base32")
struct InfoHashTests {
    // MARK: InfoHash

    @Test func bytesMustBe20Long() {
        #expect(InfoHash(bytes: [UInt8](repeating: 9, count: 20))?.bytes == [UInt8](repeating: 9, count: 20))
        #expect(InfoHash(bytes: [UInt8](repeating: 9, count: 19)) == nil)
        #expect(InfoHash(bytes: [UInt8](repeating: 9, count: 21)) == nil)
        #expect(InfoHash(bytes: []) == nil)
    }

    @Test func hashingInfoIsSHA1() {
        // FIPS 180 test vectors.
        #expect(InfoHash(hashingInfo: []).hex == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(InfoHash(hashingInfo: utf8("abc")).hex == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(
            InfoHash(hashingInfo: utf8("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).hex
                == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
        let info = encode(singleFileInfo())
        #expect(InfoHash(hashingInfo: info).bytes == ReferenceSHA1.hash(info))
    }

    @Test func referenceSHA1MatchesTheStandardVectors() {
        #expect(hexString(ReferenceSHA1.hash([])) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(hexString(ReferenceSHA1.hash(utf8("abc"))) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(
            hexString(ReferenceSHA1.hash([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)))
                == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }

    @Test func hexAndDescription() throws {
        let hash = try #require(InfoHash(bytes: Array(0..<20)))
        #expect(hash.hex == "000102030405060708090a0b0c0d0e0f10111213")
        #expect(hash.description == hash.hex)
        #expect("\(hash)" == "000102030405060708090a0b0c0d0e0f10111213")
    }

    @Test func base32OfAKnownHash() throws {
        let hash = try #require(InfoHash("c12fe1c06bba254a9dc9f519b335aa7c1367a88a"))
        #expect(hash.base32 == "YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK")
        #expect(
            try #require(InfoHash(bytes: [UInt8](repeating: 0, count: 20))).base32 == String(repeating: "A", count: 32))
        #expect(
            try #require(InfoHash(bytes: [UInt8](repeating: 0xFF, count: 20))).base32
                == String(repeating: "7", count: 32))
    }

    @Test func parsingHexAndBase32() throws {
        let expected = try #require(InfoHash(bytes: Array(0..<20)))
        #expect(InfoHash("000102030405060708090a0b0c0d0e0f10111213") == expected)
        #expect(InfoHash("000102030405060708090A0B0C0D0E0F10111213") == expected)
        #expect(InfoHash(expected.base32) == expected)
        #expect(InfoHash(expected.base32.lowercased()) == expected)
        #expect(InfoHash("xx000102030405060708090a0b0c0d0e0f10111213".dropFirst(2)) == expected)
    }

    @Test(arguments: [
        "", "0", "000102030405060708090a0b0c0d0e0f1011121", "000102030405060708090a0b0c0d0e0f101112131",
        "000102030405060708090a0b0c0d0e0f1011121g", "000102030405060708090a0b0c0d0e0f1011121 ",
        "+00102030405060708090a0b0c0d0e0f10111213", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA1", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA8",
        "00010203040506070809０a0b0c0d0e0f10111213",
    ])
    func invalidText(text: String) {
        #expect(InfoHash(text) == nil)
    }

    @Test func ordering() throws {
        let low = try #require(InfoHash("00ffffffffffffffffffffffffffffffffffffff"))
        let middle = try #require(InfoHash("0100000000000000000000000000000000000000"))
        let high = try #require(InfoHash("ff00000000000000000000000000000000000000"))
        #expect(low < middle && middle < high)
        #expect([high, low, middle].sorted() == [low, middle, high])
        #expect(!(low < low))
    }

    @Test func randomHashesRoundTripThroughBothForms() throws {
        var random = SeededRandom(seed: 42)
        for _ in 0..<500 {
            let bytes = (0..<20).map { _ in random.nextByte() }
            let hash = try #require(InfoHash(bytes: bytes))
            #expect(hash.hex == hexString(bytes))
            #expect(hash.base32 == ReferenceBase32.encode(bytes))
            #expect(InfoHash(hash.hex) == hash)
            #expect(InfoHash(hash.hex.uppercased()) == hash)
            #expect(InfoHash(hash.base32) == hash)
            #expect(InfoHash(hash.base32.lowercased()) == hash)
        }
    }

    // MARK: Base32 (RFC 4648, section 10, without padding)

    @Test(arguments: [
        ("", ""), ("f", "MY"), ("fo", "MZXQ"), ("foo", "MZXW6"), ("foob", "MZXW6YQ"), ("fooba", "MZXW6YTB"),
        ("foobar", "MZXW6YTBOI"),
    ])
    func rfc4648Vectors(plain: String, encoded: String) {
        #expect(Base32.encode(utf8(plain)) == encoded)
        #expect(Base32.decode(encoded) == utf8(plain))
        #expect(Base32.decode(encoded.lowercased()) == utf8(plain))
    }

    @Test func base32RoundTripsEveryLength() {
        var random = SeededRandom(seed: 7)
        for length in 0...64 {
            let bytes = (0..<length).map { _ in random.nextByte() }
            let encoded = Base32.encode(bytes)
            #expect(encoded == ReferenceBase32.encode(bytes))
            #expect(Base32.decode(encoded) == bytes)
        }
    }

    @Test(arguments: ["MY======", "MZXW6===", "M1", "M8", "M0", "my!", "MZXW 6", "é"])
    func base32RefusesPaddingAndForeignCharacters(text: String) {
        #expect(Base32.decode(text) == nil)
    }

    @Test(arguments: ["MZ", "MZXR", "MZXW7", "MZXW6YR", "MZXW6YTBOJ"])
    func base32RefusesNonZeroLeftoverBits(text: String) {
        #expect(Base32.decode(text) == nil)
    }

    /// 1, 3 or 6 characters past a multiple of 8 cannot come from any byte string; they must be refused
    /// even when their leftover bits happen to be zero.
    @Test(arguments: ["A", "AAA", "AAAAAA", "MZXW6YTBA", "MZXW6YTBAAA", "MZXW6YTBAAAAAA"])
    func base32RefusesImpossibleLengths(text: String) {
        #expect(Base32.decode(text) == nil)
    }

    // MARK: Hex

    @Test func hex() {
        #expect(Hex.encode([0x00, 0x0F, 0xA0, 0xFF]) == "000fa0ff")
        #expect(Hex.encode([]) == "")
        #expect(Hex.decode("000fa0ff") == [0x00, 0x0F, 0xA0, 0xFF])
        #expect(Hex.decode("000FA0Ff") == [0x00, 0x0F, 0xA0, 0xFF])
        #expect(Hex.decode("") == [])
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
        #expect(Hex.decode("0x") == nil)
        #expect(Hex.decode("-1") == nil)
        #expect(Hex.decode("é0") == nil)
    }
}

/// RFC 4648 base32 without padding, written bit by bit so it shares nothing with `Base32`.
enum ReferenceBase32 {
    static func encode(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var bits: [Bool] = bytes.flatMap { byte in (0..<8).map { byte & (0x80 >> $0) != 0 } }
        while bits.count % 5 != 0 { bits.append(false) }
        return String(
            stride(from: 0, to: bits.count, by: 5).map { start in
                alphabet[bits[start..<(start + 5)].reduce(0) { $0 * 2 + ($1 ? 1 : 0) }]
            })
    }
}
