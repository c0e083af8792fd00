import Testing

@testable import HLS

@Suite("Attribute lists")
struct AttributeListTests {
    @Test func quotedValuesMayHoldCommasAndEqualsSigns() throws {
        let list = try AttributeList(
            parsing: "BANDWIDTH=1280000,CODECS=\"avc1.64001f,mp4a.40.2\",NAME=\"a=b, c\",RESOLUTION=640x360,EMPTY=\"\"")
        #expect(list.attributes.map(\.name) == ["BANDWIDTH", "CODECS", "NAME", "RESOLUTION", "EMPTY"])
        #expect(list["BANDWIDTH"] == .unquoted("1280000"))
        #expect(list["CODECS"] == .quotedString("avc1.64001f,mp4a.40.2"))
        #expect(list["NAME"] == .quotedString("a=b, c"))
        #expect(list["RESOLUTION"]?.resolution == Resolution(width: 640, height: 360))
        #expect(list["EMPTY"] == .quotedString(""))
        #expect(list["bandwidth"] == nil)
        #expect(list["MISSING"] == nil)
    }

    @Test func rendersWhatItParsed() throws {
        let text = "URI=\"init.mp4\",BYTERANGE=\"720@0\",IV=0x0123456789abcdef,DEFAULT=YES,TIME-OFFSET=-2.5"
        let list = try AttributeList(parsing: text)
        #expect(list.render() == text)
        #expect(try AttributeList(parsing: list.render()) == list)
        #expect(try AttributeList(parsing: "") == AttributeList([]))
    }

    @Test func typedValues() {
        #expect(AttributeValue.unquoted("42").decimalInteger == 42)
        #expect(AttributeValue.unquoted("9223372036854775807").decimalInteger == Int.max)
        #expect(AttributeValue.unquoted("9223372036854775808").decimalInteger == nil)
        #expect(AttributeValue.unquoted("4.2").decimalInteger == nil)
        #expect(AttributeValue.quotedString("42").decimalInteger == nil)
        #expect(AttributeValue.unquoted("0x1F2e").hexadecimalSequence == [0x1F, 0x2E])
        #expect(AttributeValue.unquoted("0X123").hexadecimalSequence == [0x01, 0x23])
        #expect(AttributeValue.unquoted("0x").hexadecimalSequence == nil)
        #expect(AttributeValue.unquoted("0xZZ").hexadecimalSequence == nil)
        #expect(AttributeValue.unquoted("1F").hexadecimalSequence == nil)
        #expect(AttributeValue.unquoted("29.97").decimalFloatingPoint == 29.97)
        #expect(AttributeValue.unquoted("30").decimalFloatingPoint == 30)
        #expect(AttributeValue.unquoted(".5").decimalFloatingPoint == 0.5)
        #expect(AttributeValue.unquoted("5.").decimalFloatingPoint == 5)
        #expect(AttributeValue.unquoted("-1.5").decimalFloatingPoint == nil)
        #expect(AttributeValue.unquoted("1e3").decimalFloatingPoint == nil)
        #expect(AttributeValue.unquoted("nan").decimalFloatingPoint == nil)
        #expect(AttributeValue.unquoted("1.2.3").decimalFloatingPoint == nil)
        #expect(AttributeValue.unquoted(".").decimalFloatingPoint == nil)
        #expect(AttributeValue.unquoted("-1.5").signedDecimalFloatingPoint == -1.5)
        #expect(AttributeValue.unquoted("1.5").signedDecimalFloatingPoint == 1.5)
        #expect(AttributeValue.unquoted("--1").signedDecimalFloatingPoint == nil)
        #expect(AttributeValue.unquoted("1920x1080").resolution == Resolution(width: 1920, height: 1080))
        #expect(AttributeValue.unquoted("1920x").resolution == nil)
        #expect(AttributeValue.unquoted("1920x1080x1").resolution == nil)
        #expect(AttributeValue.unquoted("YES").enumeratedString == "YES")
        #expect(AttributeValue.quotedString("YES").enumeratedString == nil)
        #expect(AttributeValue.unquoted("YES").quotedString == nil)
    }

    static let malformed: [(String, AttributeListError)] = [
        ("bandwidth=1", .badName("bandwidth")),
        ("=1", .badName("")),
        ("A=1,,B=2", .badName("")),
        ("BAND WIDTH=1", .badName("BAND WIDTH")),
        ("BANDWIDTH", .missingEquals(name: "BANDWIDTH")),
        ("A=1,B", .missingEquals(name: "B")),
        ("A=", .emptyValue(name: "A")),
        ("A=,B=1", .emptyValue(name: "A")),
        ("A=\"abc", .unterminatedQuotedString(name: "A")),
        ("A=\"abc\"def", .textAfterQuotedString(name: "A")),
        ("A=ab\"c\"", .badUnquotedValue(name: "A")),
        ("A=1, B=2", .badName(" B")),
        ("A=1 ,B=2", .badUnquotedValue(name: "A")),
        ("A=1,A=2", .duplicateName("A")),
        ("A=1,", .trailingComma),
    ]

    @Test(arguments: malformed)
    func rejectsMalformedLists(text: String, expected: AttributeListError) {
        #expect(throws: expected) { try AttributeList(parsing: text) }
    }

    @Test func messagesNameTheAttribute() {
        #expect(
            AttributeListError.unterminatedQuotedString(name: "CODECS").description
                == "attribute CODECS has a quoted string without a closing quote")
        #expect(AttributeListError.duplicateName("URI").description == "attribute URI appears twice")
        #expect(
            PlaylistError.badAttributeList(line: 3, tag: "EXT-X-MAP", .trailingComma).description
                == "line 3: #EXT-X-MAP: the list ends with a comma")
        let long = String(repeating: "a", count: 500)
        #expect(AttributeListError.badName(long).description.count < 100)
    }
}
