import Streaming
import Testing
import TorrentModel

@Suite("Entity tags and conditional requests")
struct EntityTagTests {
    static let tag = EntityTag(opaqueTag: "abc")!
    static let weakTag = EntityTag(opaqueTag: "abc", isWeak: true)!

    // MARK: Tags

    @Test func tagsOfTorrentFiles() {
        let tag = EntityTag(infoHash: HTTPTestFixtures.infoHash, fileIndex: 12, length: 1_048_576)
        #expect(tag.headerValue == "\"\(HTTPTestFixtures.infoHashHex)-12-1048576\"")
        #expect(tag.opaqueTag == "\(HTTPTestFixtures.infoHashHex)-12-1048576")
        #expect(!tag.isWeak)
        // Another file, another length or another torrent gives another tag.
        #expect(tag != EntityTag(infoHash: HTTPTestFixtures.infoHash, fileIndex: 13, length: 1_048_576))
        #expect(tag != EntityTag(infoHash: HTTPTestFixtures.infoHash, fileIndex: 12, length: 1_048_575))
        #expect(
            tag
                != EntityTag(
                    infoHash: InfoHash(bytes: Array(repeating: 0, count: 20))!, fileIndex: 12, length: 1_048_576))
    }

    @Test func headerValues() {
        #expect(Self.tag.headerValue == "\"abc\"")
        #expect(Self.weakTag.headerValue == "W/\"abc\"")
        #expect(EntityTag(opaqueTag: "")!.headerValue == "\"\"")
        #expect(Self.weakTag.description == "W/\"abc\"")
    }

    @Test(arguments: ["a\"b", "a b", "a\tb", "\u{0}", "a\u{7F}"])
    func refusesCharactersOutsideEtagc(text: String) {
        #expect(EntityTag(opaqueTag: text) == nil)
    }

    @Test func acceptsEtagcAndObsText() {
        #expect(EntityTag(opaqueTag: "!#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") != nil)
        #expect(EntityTag(opaqueTag: "café") != nil)
    }

    /// RFC 9110 §8.8.3.2's table.
    @Test func strongAndWeakComparison() {
        let w1 = EntityTag(opaqueTag: "1", isWeak: true)!
        let w2 = EntityTag(opaqueTag: "2", isWeak: true)!
        let s1 = EntityTag(opaqueTag: "1")!
        #expect(!w1.matchesStrongly(w1))
        #expect(w1.matchesWeakly(w1))
        #expect(!w1.matchesStrongly(w2))
        #expect(!w1.matchesWeakly(w2))
        #expect(!w1.matchesStrongly(s1))
        #expect(w1.matchesWeakly(s1))
        #expect(s1.matchesStrongly(s1))
        #expect(s1.matchesWeakly(s1))
    }

    @Test func comparesBytesNotCanonicalEquivalence() {
        let composed = EntityTag(opaqueTag: "\u{E9}")!
        let decomposed = EntityTag(opaqueTag: "e\u{301}")!
        #expect(!composed.matchesWeakly(decomposed))
        #expect(composed != decomposed)
    }

    // MARK: If-None-Match

    @Test(arguments: [
        ("\"abc\"", true),
        ("W/\"abc\"", true),
        ("*", true),
        (" * ", true),
        ("\"xyz\", \"abc\"", true),
        ("\"xyz\",W/\"abc\"", true),
        ("  \"abc\"  ", true),
        (",\"abc\",", true),
        ("\"xyz\"\t,\t\"abc\"", true),
        ("\"xyz\"", false),
        ("\"ABC\"", false),
        ("\"a,b\", \"abc\"", true),
        ("\"a,b\"", false),
    ])
    func ifNoneMatch(header: String, matches: Bool) throws {
        let condition = try #require(IfNoneMatch(header: header))
        #expect(condition.matches(Self.tag) == matches)
    }

    @Test(arguments: [
        "", " ", ",", "abc", "\"abc", "abc\"", "w/\"abc\"", "W\"abc\"", "W/abc", "\"abc\" \"xyz\"", "\"abc\"x",
        "*, \"abc\"", "\"abc\", *", "**", "\"a\"b\"", "\"ab\u{0}c\"", "\"abc \"",
    ])
    func malformedIfNoneMatchIsIgnored(header: String) {
        #expect(IfNoneMatch(header: header) == nil)
    }

    @Test func ifNoneMatchParsesTagsInOrder() {
        #expect(
            IfNoneMatch(header: "\"a\", W/\"b\"")
                == .tags([EntityTag(opaqueTag: "a")!, EntityTag(opaqueTag: "b", isWeak: true)!]))
        #expect(IfNoneMatch(header: "*") == .any)
    }

    @Test func overlongIfNoneMatchIsIgnored() {
        let tags = Array(repeating: "\"x\"", count: 3000).joined(separator: ",") + ",\"abc\""
        #expect(tags.utf8.count > HTTPServingLimits.maximumConditionalHeaderBytes)
        #expect(IfNoneMatch(header: tags) == nil)
        let fits = Array(repeating: "\"x\"", count: 1000).joined(separator: ",") + ",\"abc\""
        #expect(IfNoneMatch(header: fits)?.matches(Self.tag) == true)
    }

    // MARK: If-Range

    @Test func ifRangeNeedsAStrongMatch() {
        #expect(IfRange(header: "\"abc\"")?.allowsRange(for: Self.tag) == true)
        #expect(IfRange(header: " \"abc\" ")?.allowsRange(for: Self.tag) == true)
        #expect(IfRange(header: "\"xyz\"")?.allowsRange(for: Self.tag) == false)
        // A weak tag never matches strongly, whichever side is weak.
        #expect(IfRange(header: "W/\"abc\"")?.allowsRange(for: Self.tag) == false)
        #expect(IfRange(header: "\"abc\"")?.allowsRange(for: Self.weakTag) == false)
    }

    @Test func ifRangeDatesNeverMatch() {
        let date = "Sun, 06 Nov 1994 08:49:37 GMT"
        #expect(IfRange(header: date) == .date(date))
        #expect(IfRange(header: date)?.allowsRange(for: Self.tag) == false)
        #expect(IfRange.allowsRange(header: date, for: Self.tag) == false)
    }

    @Test func ifRangeHeaders() {
        #expect(IfRange.allowsRange(header: nil, for: Self.tag))
        #expect(IfRange.allowsRange(header: "\"abc\"", for: Self.tag))
        #expect(!IfRange.allowsRange(header: "\"abc\", \"abc\"", for: Self.tag))
        #expect(!IfRange.allowsRange(header: "\"abc", for: Self.tag))
        #expect(!IfRange.allowsRange(header: "W/abc", for: Self.tag))
        #expect(!IfRange.allowsRange(header: "*", for: Self.tag))
        #expect(!IfRange.allowsRange(header: "", for: Self.tag))
        let long = "\"" + String(repeating: "a", count: HTTPServingLimits.maximumConditionalHeaderBytes) + "\""
        #expect(IfRange(header: long) == nil)
        #expect(IfRange(header: "\"abc\" x") == nil)
    }
}
