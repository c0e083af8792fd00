import Testing

@testable import TrackerProtocol

@Suite("Query strings")
struct QueryStringTests {
    @Test func percentEncodesAllButUnreservedBytes() {
        #expect(QueryString.percentEncode([0x00, 0x20, 0x2B, 0x25, 0xFF]) == "%00%20%2B%25%FF")
        #expect(QueryString.percentEncode(Array("AZaz09-._~".utf8)) == "AZaz09-._~")
        #expect(QueryString.percentEncode(Array("a/b?c=d&e".utf8)) == "a%2Fb%3Fc%3Dd%26e")
    }

    @Test func parsesFieldsInOrderAndDecodesValuesToBytes() throws {
        let fields = try QueryString.parse("a=%00%ff&b=x+y&&flag&c=&%62=1")
        #expect(
            fields == [
                .init(name: "a", value: [0x00, 0xFF]),
                // `+` is a plain byte in BitTorrent queries.
                .init(name: "b", value: Array("x+y".utf8)),
                .init(name: "flag", value: []),
                .init(name: "c", value: []),
                .init(name: "b", value: [0x31]),
            ])
        #expect(try QueryString.parse("") == [])
    }

    @Test func everyByteRoundTrips() throws {
        let all = (0...255).map { UInt8($0) }
        let fields = try QueryString.parse("v=" + QueryString.percentEncode(all))
        #expect(fields == [.init(name: "v", value: all)])
    }

    @Test(arguments: ["a=%", "a=%4", "a=%zz", "a=%4g", "%=1", "a=1%"])
    func refusesBrokenEscapes(query: String) {
        #expect(throws: TrackerProtocolError.self) { try QueryString.parse(query) }
    }

    @Test func namesTheFieldWithTheBrokenEscape() {
        #expect(throws: TrackerProtocolError.badPercentEncoding(field: "info_hash")) {
            try QueryString.parse("port=1&info_hash=%G1")
        }
    }

    @Test func refusesOverlongQueries() {
        let query = String(repeating: "a", count: TrackerLimits.maximumQueryLength + 1)
        #expect(throws: TrackerProtocolError.queryTooLong(length: query.utf8.count, limit: 8192)) {
            try QueryString.parse(query)
        }
    }

    @Test func appendsToURLsWithAndWithoutAQuery() {
        #expect(QueryString.appending("x=1", to: "http://t.example/announce") == "http://t.example/announce?x=1")
        #expect(QueryString.appending("x=1", to: "http://t/a?pk=abc") == "http://t/a?pk=abc&x=1")
        #expect(QueryString.appending("x=1", to: "http://t/a?") == "http://t/a?x=1")
        #expect(QueryString.appending("x=1", to: "http://t/a?pk=1&") == "http://t/a?pk=1&x=1")
        #expect(QueryString.appending("x=1", to: "http://t/a#frag") == "http://t/a?x=1")
    }
}
