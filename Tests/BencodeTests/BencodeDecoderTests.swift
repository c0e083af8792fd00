import Testing

@testable import Bencode

private func decode(_ text: String, sorted: Bool = true) throws(BencodeError) -> BencodeValue {
    try BencodeDecoder(requiresSortedKeys: sorted).decode(Array(text.utf8)).value
}

private func rejection(_ text: String, sorted: Bool = true) -> BencodeError? {
    do {
        _ = try decode(text, sorted: sorted)
        return nil
    } catch {
        return error
    }
}

@Suite("Bencode decoding")
struct BencodeDecoderTests {
    @Test func decodesEveryKind() throws {
        #expect(try decode("i42e") == .integer(42))
        #expect(try decode("i-42e") == .integer(-42))
        #expect(try decode("i0e") == .integer(0))
        #expect(try decode("0:") == .bytes([]))
        #expect(try decode("4:spam") == .bytes(Array("spam".utf8)))
        #expect(try decode("le") == .list([]))
        #expect(try decode("l4:spami7ee") == ["spam", 7])
        #expect(try decode("de") == .dictionary([:]))
        #expect(try decode("d3:cow3:moo4:spaml1:a1:bee") == ["cow": "moo", "spam": ["a", "b"]])
    }

    @Test func byteStringsAreBytesNotText() throws {
        let input: [UInt8] = Array("3:".utf8) + [0xFF, 0x00, 0xC3]
        let node = try BencodeDecoder.decode(input)
        #expect(node.value == .bytes([0xFF, 0x00, 0xC3]))
        #expect(node.value.stringValue == nil)
    }

    @Test func integerLimits() throws {
        #expect(try decode("i9223372036854775807e") == .integer(.max))
        #expect(try decode("i-9223372036854775808e") == .integer(.min))
        #expect(rejection("i9223372036854775808e") == BencodeError(.integerOverflow, at: 1))
        #expect(rejection("i-9223372036854775809e") == BencodeError(.integerOverflow, at: 1))
        #expect(rejection("i99999999999999999999999e") == BencodeError(.integerOverflow, at: 1))
    }

    @Test(arguments: [
        ("i03e", BencodeError(.leadingZero, at: 1)),
        ("i00e", BencodeError(.leadingZero, at: 1)),
        ("i-03e", BencodeError(.leadingZero, at: 1)),
        ("i-0e", BencodeError(.negativeZero, at: 1)),
        ("ie", BencodeError(.emptyInteger, at: 1)),
        ("i-e", BencodeError(.emptyInteger, at: 1)),
        ("i+3e", BencodeError(.unexpectedByte(UInt8(ascii: "+")), at: 1)),
        ("i3.0e", BencodeError(.unexpectedByte(UInt8(ascii: ".")), at: 2)),
        ("i 3e", BencodeError(.unexpectedByte(0x20), at: 1)),
        ("02:ab", BencodeError(.leadingZero, at: 0)),
        ("-1:a", BencodeError(.unexpectedByte(UInt8(ascii: "-")), at: 0)),
    ])
    func rejectsNonCanonicalNumbers(input: String, expected: BencodeError) {
        #expect(rejection(input) == expected)
    }

    @Test(arguments: [
        ("", 0), ("i", 1), ("i12", 3), ("l", 1), ("li1e", 4), ("d", 1), ("d1:a", 4), ("d1:ai1e", 7), ("4:", 2),
        ("4", 1),
    ])
    func rejectsTruncatedInput(input: String, offset: Int) {
        let error = rejection(input)
        if input == "4:" {
            #expect(error == BencodeError(.lengthBeyondInput(4), at: 0))
        } else {
            #expect(error == BencodeError(.truncated, at: offset))
        }
    }

    @Test func rejectsLengthsBeyondTheInput() {
        #expect(rejection("5:spam") == BencodeError(.lengthBeyondInput(5), at: 0))
        #expect(rejection("l99999999999999:ae") == BencodeError(.lengthBeyondInput(99_999_999_999_999), at: 1))
        #expect(rejection("99999999999999999999999:") == BencodeError(.integerOverflow, at: 0))
    }

    @Test func rejectsTrailingGarbage() {
        #expect(rejection("i1ei2e") == BencodeError(.trailingBytes(count: 3), at: 3))
        #expect(rejection("4:spamx") == BencodeError(.trailingBytes(count: 1), at: 6))
        #expect(rejection("de\n") == BencodeError(.trailingBytes(count: 1), at: 2))
    }

    @Test func prefixDecodingReportsTheLengthUsed() throws {
        let (node, length) = try BencodeDecoder().decodePrefix(Array("d1:ai1eeRAW".utf8))
        #expect(length == 8)
        #expect(node.value == ["a": 1])
    }

    @Test func rejectsUnsortedAndDuplicateKeysInStrictMode() {
        #expect(rejection("d1:bi1e1:ai2ee") == BencodeError(.unsortedKey, at: 7))
        #expect(rejection("d1:ai1e1:ai2ee") == BencodeError(.duplicateKey, at: 7))
        // Byte order, not text order: "B" (0x42) sorts before "a" (0x61).
        #expect(rejection("d1:ai1e1:Bi2ee") == BencodeError(.unsortedKey, at: 7))
        #expect((try? decode("d1:Bi1e1:ai2ee")) == ["B": 1, "a": 2])
        // A key that is a prefix of the next sorts first.
        #expect((try? decode("d1:ai1e2:aai2ee")) == ["a": 1, "aa": 2])
        #expect(rejection("d2:aai1e1:ai2ee") == BencodeError(.unsortedKey, at: 8))
    }

    @Test func lenientModeAcceptsUnsortedKeysButNotDuplicates() throws {
        #expect(try decode("d1:bi1e1:ai2ee", sorted: false) == ["a": 2, "b": 1])
        #expect(rejection("d1:bi1e1:ai2e1:bi3ee", sorted: false) == BencodeError(.duplicateKey, at: 13))
    }

    @Test func rejectsNonStringKeys() {
        #expect(rejection("di1ei2ee") == BencodeError(.unexpectedByte(UInt8(ascii: "i")), at: 1))
        #expect(rejection("dlei2ee") == BencodeError(.unexpectedByte(UInt8(ascii: "l")), at: 1))
    }

    @Test func rejectsUnknownTypeBytes() {
        #expect(rejection("x") == BencodeError(.unexpectedByte(UInt8(ascii: "x")), at: 0))
        #expect(rejection("l\u{0}e") == BencodeError(.unexpectedByte(0), at: 1))
        #expect(rejection("e") == BencodeError(.unexpectedByte(UInt8(ascii: "e")), at: 0))
    }

    @Test func nestingLimit() throws {
        let limit = BencodeDecoder.defaultMaximumDepth
        let deepest = String(repeating: "l", count: limit) + String(repeating: "e", count: limit)
        #expect(throws: Never.self) { try decode(deepest) }
        let tooDeep = String(repeating: "l", count: limit + 1) + String(repeating: "e", count: limit + 1)
        #expect(rejection(tooDeep) == BencodeError(.tooDeep(limit: limit), at: limit))
        let dictionaries = String(repeating: "d1:a", count: 3) + "i1e" + String(repeating: "e", count: 3)
        #expect(
            (try? BencodeDecoder(maximumDepth: 2).decode(Array(dictionaries.utf8)))
                == nil)
        #expect(throws: Never.self) { try BencodeDecoder(maximumDepth: 3).decode(Array(dictionaries.utf8)) }
    }

    @Test func hostileNestingDoesNotCrash() {
        let bytes = [UInt8](repeating: UInt8(ascii: "l"), count: 1_000_000)
        #expect(throws: BencodeError(.tooDeep(limit: BencodeDecoder.defaultMaximumDepth), at: 64)) {
            try BencodeDecoder.decode(bytes)
        }
    }

    @Test func spansCoverTheExactBytes() throws {
        let input = Array("d4:infod4:name1:xe3:zzzi1ee".utf8)
        let root = try BencodeDecoder.decode(input)
        #expect(root.span == 0..<input.count)
        let info = try #require(root["info"])
        #expect(String(decoding: input[info.span], as: UTF8.self) == "d4:name1:xe")
        let zzz = try #require(root["zzz"])
        #expect(zzz.span == 23..<26)
    }

    @Test func spansKeepForeignBytesInLenientMode() throws {
        // Unsorted keys inside info: re-encoding would sort them, the span must not.
        let input = Array("d4:infod4:name1:x1:ai1eee".utf8)
        let root = try BencodeDecoder(requiresSortedKeys: false).decode(input)
        let info = try #require(root["info"])
        #expect(String(decoding: input[info.span], as: UTF8.self) == "d4:name1:x1:ai1ee")
        #expect(BencodeEncoder.encode(info.value) != Array(input[info.span]))
    }

    @Test func errorsNameTheProblemAndTheOffset() {
        let error = rejection("d3:fooi01ee")
        #expect(error?.description == "bencode: number with a leading zero at byte 7")
        #expect(rejection("lx")?.description == "bencode: unexpected byte 'x' at byte 1")
        #expect(rejection("l\u{1}")?.description == "bencode: unexpected byte 0x01 at byte 1")
    }
}
