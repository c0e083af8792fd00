import Streaming
import TestSupport
import Testing

@Suite("Byte range requests")
struct ByteRangeRequestTests {
    // MARK: Parsing

    @Test(arguments: [
        ("bytes=0-499", ByteRangeRequest.range(first: 0, last: 499)),
        ("bytes=500-", .range(first: 500, last: nil)),
        ("bytes=-500", .suffix(length: 500)),
        ("bytes=0-0", .range(first: 0, last: 0)),
        ("bytes=7-7", .range(first: 7, last: 7)),
        ("bytes=000-001", .range(first: 0, last: 1)),
        ("bytes=-0", .suffix(length: 0)),
        // Unit in any case.
        ("Bytes=0-1", .range(first: 0, last: 1)),
        ("BYTES=0-1", .range(first: 0, last: 1)),
        ("bYtEs=5-", .range(first: 5, last: nil)),
        // Whitespace around the value, the `=`, the element and the `-`.
        ("  bytes=0-499  ", .range(first: 0, last: 499)),
        ("bytes = 0-499", .range(first: 0, last: 499)),
        ("bytes=\t0 - 499\t", .range(first: 0, last: 499)),
        ("bytes= -500", .suffix(length: 500)),
        ("bytes=- 500", .suffix(length: 500)),
        // Empty list elements are skipped.
        ("bytes=0-1,", .range(first: 0, last: 1)),
        ("bytes=,0-1", .range(first: 0, last: 1)),
        ("bytes= , 0-1 , ,", .range(first: 0, last: 1)),
        // Numbers beyond Int64 saturate.
        ("bytes=0-99999999999999999999999", .range(first: 0, last: .max)),
        ("bytes=99999999999999999999999-", .range(first: .max, last: nil)),
        ("bytes=-99999999999999999999999", .suffix(length: .max)),
        ("bytes=9223372036854775807-", .range(first: .max, last: nil)),
        ("bytes=9223372036854775806-9223372036854775807", .range(first: .max - 1, last: .max)),
        ("bytes=0-9223372036854775808", .range(first: 0, last: .max)),
        ("bytes=0-18446744073709551616", .range(first: 0, last: .max)),
        ("bytes=00000000000000000000000000000000000005-6", .range(first: 5, last: 6)),
    ])
    func parses(header: String, expected: ByteRangeRequest) {
        #expect(ByteRangeRequest(header: header) == expected)
    }

    @Test(arguments: [
        "", " ", "bytes", "bytes=", "bytes= ", "bytes=-", "bytes=,", "bytes=, ,",
        // Last before first.
        "bytes=5-2", "bytes=1-0", "bytes=99999999999999999999-5",
        // Several ranges are ignored (answered with the whole file).
        "bytes=0-1,5-6", "bytes=0-1, 2-3", "bytes=-5,0-1", "bytes=0-1,0-1",
        // Other units and shapes.
        "items=0-5", "bits=0-5", "byte=0-5", "bytes0-5", "bytes:0-5", "=0-5", "0-5", "bytes==0-1", "bytes=0-1=2",
        // Signs, negatives and junk.
        "bytes=--5", "bytes=-5-10", "bytes=-1-", "bytes=+5-", "bytes=5-+6", "bytes=-+5", "bytes=-5-", "bytes=0--1",
        "bytes=a-b", "bytes=0x10-", "bytes=1.5-2", "bytes=1e3-", "bytes=1 2-3", "bytes=0-1;", "bytes=0-1 x",
        "bytes=5", "bytes=٣-", "bytes=１-2", "bytes=0-\u{0}", "bytes\u{0}=0-1",
    ])
    func ignores(header: String) {
        #expect(ByteRangeRequest(header: header) == nil)
    }

    @Test func ignoresOverlongValues() {
        let padded = "bytes=0-1" + String(repeating: " ", count: 1024 - 9)
        #expect(padded.utf8.count == 1024)
        #expect(ByteRangeRequest(header: padded) == .range(first: 0, last: 1))
        #expect(ByteRangeRequest(header: padded + " ") == nil)
        #expect(ByteRangeRequest(header: "bytes=" + String(repeating: "9", count: 100_000) + "-") == nil)
    }

    @Test func survivesRandomInput() {
        var random = SeededRandom(seed: 9110)
        let alphabet = Array("bytes=0123456789-, \t+".utf8)
        for _ in 0..<5000 {
            let length = random.below(30)
            let bytes = (0..<length).map { _ in alphabet[random.below(alphabet.count)] }
            let header = String(decoding: bytes, as: UTF8.self)
            guard let request = ByteRangeRequest(header: header) else { continue }
            for entityLength: Int64 in [0, 1, 10, 1000, .max] {
                switch request.resolve(entityLength: entityLength) {
                case .full: #expect(entityLength == 0)
                case .unsatisfiable: break
                case .partial(let range):
                    #expect(!range.isEmpty)
                    #expect(range.lowerBound >= 0 && range.upperBound <= entityLength)
                }
            }
        }
    }

    // MARK: Resolving

    @Test(arguments: [
        (ByteRangeRequest.range(first: 0, last: 499), ByteRangeResolution.partial(0..<500)),
        (.range(first: 500, last: nil), .partial(500..<1000)),
        (.range(first: 500, last: 999), .partial(500..<1000)),
        (.range(first: 0, last: 999), .partial(0..<1000)),
        (.range(first: 0, last: nil), .partial(0..<1000)),
        (.range(first: 0, last: 0), .partial(0..<1)),
        (.range(first: 999, last: nil), .partial(999..<1000)),
        (.range(first: 999, last: 5000), .partial(999..<1000)),
        (.range(first: 0, last: 5000), .partial(0..<1000)),
        (.range(first: 0, last: .max), .partial(0..<1000)),
        (.range(first: 1000, last: nil), .unsatisfiable),
        (.range(first: 1000, last: 2000), .unsatisfiable),
        (.range(first: .max, last: nil), .unsatisfiable),
        (.range(first: .max, last: .max), .unsatisfiable),
        (.suffix(length: 500), .partial(500..<1000)),
        (.suffix(length: 1), .partial(999..<1000)),
        (.suffix(length: 1000), .partial(0..<1000)),
        (.suffix(length: 5000), .partial(0..<1000)),
        (.suffix(length: .max), .partial(0..<1000)),
        (.suffix(length: 0), .unsatisfiable),
    ])
    func resolvesAgainstAThousandBytes(request: ByteRangeRequest, expected: ByteRangeResolution) {
        #expect(request.resolve(entityLength: 1000) == expected)
    }

    /// RFC 9110 §14.1.2: against an empty file no `first-` range is satisfiable; a non-zero suffix is, but
    /// selects nothing, so the header is ignored.
    @Test(arguments: [
        (ByteRangeRequest.range(first: 0, last: 0), ByteRangeResolution.unsatisfiable),
        (.range(first: 0, last: nil), .unsatisfiable),
        (.range(first: 0, last: .max), .unsatisfiable),
        (.range(first: 5, last: 10), .unsatisfiable),
        (.suffix(length: 0), .unsatisfiable),
        (.suffix(length: 1), .full),
        (.suffix(length: .max), .full),
    ])
    func resolvesAgainstAnEmptyFile(request: ByteRangeRequest, expected: ByteRangeResolution) {
        #expect(request.resolve(entityLength: 0) == expected)
        #expect(request.resolve(entityLength: -5) == expected)
    }

    @Test func resolvesAtTheLargestLength() {
        #expect(ByteRangeRequest.range(first: 0, last: nil).resolve(entityLength: .max) == .partial(0..<Int64.max))
        #expect(ByteRangeRequest.suffix(length: .max).resolve(entityLength: .max) == .partial(0..<Int64.max))
        #expect(ByteRangeRequest.suffix(length: 1).resolve(entityLength: .max) == .partial((.max - 1)..<Int64.max))
        #expect(
            ByteRangeRequest.range(first: .max - 1, last: .max).resolve(entityLength: .max)
                == .partial((.max - 1)..<Int64.max))
        #expect(ByteRangeRequest.range(first: .max, last: nil).resolve(entityLength: .max) == .unsatisfiable)
    }

    @Test func resolvesHeaders() {
        #expect(ByteRangeRequest.resolve(header: nil, entityLength: 1000) == .full)
        #expect(ByteRangeRequest.resolve(header: "garbage", entityLength: 1000) == .full)
        #expect(ByteRangeRequest.resolve(header: "bytes=0-1,5-6", entityLength: 1000) == .full)
        #expect(ByteRangeRequest.resolve(header: "bytes=5-2", entityLength: 1000) == .full)
        #expect(
            ByteRangeRequest.resolve(header: "bytes=0-99999999999999999999999", entityLength: 1000)
                == .partial(0..<1000))
        #expect(
            ByteRangeRequest.resolve(header: "bytes=99999999999999999999999-", entityLength: 1000) == .unsatisfiable)
        #expect(ByteRangeRequest.resolve(header: "bytes=-0", entityLength: 1000) == .unsatisfiable)
        #expect(ByteRangeRequest.resolve(header: "bytes=-0", entityLength: 0) == .unsatisfiable)
        #expect(ByteRangeRequest.resolve(header: "bytes=0-", entityLength: 0) == .unsatisfiable)
    }

    // MARK: Content-Range

    @Test func formatsContentRange() {
        #expect(ContentRange.bytes(0..<500, completeLength: 1234).headerValue == "bytes 0-499/1234")
        #expect(ContentRange.bytes(999..<1000, completeLength: 1000).headerValue == "bytes 999-999/1000")
        #expect(ContentRange.bytes(0..<1, completeLength: 1).headerValue == "bytes 0-0/1")
        #expect(
            ContentRange.bytes((.max - 1)..<Int64.max, completeLength: .max).headerValue
                == "bytes 9223372036854775806-9223372036854775806/9223372036854775807")
        #expect(ContentRange.unsatisfied(completeLength: 1234).headerValue == "bytes */1234")
        #expect(ContentRange.unsatisfied(completeLength: 0).headerValue == "bytes */0")
        #expect(ContentRange.unsatisfied(completeLength: 0).description == "bytes */0")
    }
}
