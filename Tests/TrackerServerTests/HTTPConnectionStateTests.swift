import Testing
import TrackerProtocol

@testable import TrackerServer

@Suite("an HTTP connection's bytes, without sockets")
struct HTTPConnectionStateTests {
    typealias F = TrackerFixtures

    static func feed(_ state: inout HTTPConnectionState, _ text: String, core: TrackerCore) -> String {
        var output: [UInt8] = []
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { state.receive($0, core: core, source: F.client(1), output: &output) }
        return String(decoding: output, as: UTF8.self)
    }

    @Test func aHeadSplitAcrossReadsIsAnsweredOnceComplete() {
        let core = F.core()
        var state = HTTPConnectionState()
        let request = "GET /announce?\(F.query()) HTTP/1.1\r\nHost: t\r\n\r\n"
        let cut = request.index(request.startIndex, offsetBy: 40)
        #expect(Self.feed(&state, String(request[..<cut]), core: core).isEmpty)
        let answer = Self.feed(&state, String(request[cut...]), core: core)
        #expect(answer.hasPrefix("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "))
        #expect(!answer.contains("Connection: close") && !state.closing)
        #expect(state.input.isEmpty)
    }

    @Test func pipelinedRequestsAreAnsweredInOrderAndCloseIsHonoured() {
        let core = F.core()
        var state = HTTPConnectionState()
        let text =
            "GET /stats.json HTTP/1.1\r\n\r\nGET /nothing HTTP/1.1\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\n\r\n"
        let answer = Self.feed(&state, text, core: core)
        let first = answer.range(of: "HTTP/1.1 200 OK")
        let second = answer.range(of: "HTTP/1.1 404 Not Found")
        #expect(first != nil && second != nil && first!.lowerBound < second!.lowerBound)
        #expect(answer.contains("Connection: close") && state.closing)
        // Nothing after the request that asked to close is answered.
        #expect(answer.components(separatedBy: "HTTP/1.1 ").count == 3)
    }

    @Test func http10ClosesUnlessAskedToKeepAlive() {
        let core = F.core()
        var plain = HTTPConnectionState()
        #expect(Self.feed(&plain, "GET /stats.json HTTP/1.0\r\n\r\n", core: core).hasPrefix("HTTP/1.0 200 OK"))
        #expect(plain.closing)
        var kept = HTTPConnectionState()
        let answer = Self.feed(&kept, "GET /stats.json HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", core: core)
        #expect(answer.contains("Connection: keep-alive\r\n") && !kept.closing)
    }

    @Test func bodiesOtherMethodsAndGarbageAreRefusedAndClose() {
        let core = F.core()
        for (text, status) in [
            ("POST /announce HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello", "405"),
            ("GET /announce HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello", "400"),
            ("GET /announce HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", "400"),
            ("HELLO\r\n\r\n", "400"),
            ("GET /announce HTTP/2.0\r\n\r\n", "400"),
            ("GET /announce HTTP/1.1\r\nno colon here\r\n\r\n", "400"),
        ] {
            var state = HTTPConnectionState()
            let answer = Self.feed(&state, text, core: core)
            #expect(answer.hasPrefix("HTTP/1.1 \(status)"), "\(text)")
            #expect(state.closing, "\(text)")
        }
    }

    @Test func aHeadThatNeverEndsIsCutOffWithAFailureReason() {
        let core = F.core()
        var state = HTTPConnectionState()
        var answer = ""
        for _ in 0..<20 {
            answer += Self.feed(&state, "GET /announce?" + String(repeating: "a", count: 1000), core: core)
        }
        #expect(answer.contains("d14:failure reason") && answer.contains("request too large"))
        #expect(state.closing && state.input.isEmpty)
    }
}
