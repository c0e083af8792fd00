import Streaming
import Testing

@Suite("CORS policy")
struct CORSPolicyTests {
    @Test func responseHeaders() {
        #expect(CORSPolicy.standard.responseHeaders == HTTPTestFixtures.corsResponse)
    }

    @Test func preflightHeaders() {
        #expect(
            CORSPolicy.standard.preflightHeaders == [
                HeaderField("Access-Control-Allow-Origin", "*"),
                HeaderField("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS"),
                HeaderField("Access-Control-Allow-Headers", "Range, If-None-Match, If-Range"),
                HeaderField("Access-Control-Max-Age", "86400"),
            ])
        #expect(
            CORSPolicy(preflightMaxAgeSeconds: 600).preflightHeaders.value(named: "access-control-max-age") == "600")
    }

    @Test func headerLookupIgnoresCase() {
        let headers = CORSPolicy.standard.responseHeaders
        #expect(headers.value(named: "ACCESS-CONTROL-ALLOW-ORIGIN") == "*")
        #expect(headers.value(named: "access-control-allow-origin") == "*")
        #expect(headers.value(named: "Vary") == nil)
        #expect(HeaderField("ETag", "\"a\"").description == "ETag: \"a\"")
    }
}
