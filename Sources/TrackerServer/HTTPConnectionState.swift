import TrackerProtocol

/// One HTTP/1.x connection's bytes in and out, without sockets: complete request heads are answered from
/// the tracker core in order (pipelining), keep-alive follows HTTP/1.1 and HTTP/1.0 rules.
///
/// Limits: a head over `maximumHeadBytes` gets a bencoded failure and the connection closes; a request
/// with a body is refused and the connection closes without reading it.
struct HTTPConnectionState {
    static let maximumHeadBytes = 16 * 1024

    /// Bytes received but not yet part of a complete head.
    private(set) var input: [UInt8] = []
    /// The last answer asked for the connection to close once it is written.
    private(set) var closing = false

    /// Takes received bytes and appends the answers to every complete request in them to `output`.
    mutating func receive(
        _ bytes: UnsafeBufferPointer<UInt8>, core: TrackerCore, source: TrackerPeerAddress, output: inout [UInt8]
    ) {
        guard !closing else { return }
        if input.isEmpty {
            // The usual case, a whole request in one read: answered straight from the read buffer.
            let consumed = answerHeads(in: bytes, core: core, source: source, output: &output)
            if !closing && consumed < bytes.count { input.append(contentsOf: bytes[consumed...]) }
        } else {
            input.append(contentsOf: bytes)
            let consumed = input.withUnsafeBufferPointer {
                answerHeads(in: $0, core: core, source: source, output: &output)
            }
            if closing { input = [] } else { input.removeFirst(consumed) }
        }
        if !closing && input.count > Self.maximumHeadBytes {
            input = []
            closing = true
            Self.append(
                TrackerHTTPAnswer.failure("request too large: the head is over \(Self.maximumHeadBytes) bytes"),
                head: nil, keepAlive: false, to: &output)
        }
    }

    /// Answers the complete heads at the start of `bytes`; returns how many bytes they took.
    private mutating func answerHeads(
        in bytes: UnsafeBufferPointer<UInt8>, core: TrackerCore, source: TrackerPeerAddress, output: inout [UInt8]
    ) -> Int {
        var start = 0
        while !closing, let end = Self.headEnd(bytes, from: start) {
            let head = RequestHead(bytes[start..<end])
            start = end
            respond(to: head, core: core, source: source, output: &output)
        }
        return start
    }

    /// The index just past the blank line that ends the head starting at `start`.
    private static func headEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start + 1
        while index < bytes.count {
            if bytes[index] == 10 {
                if bytes[index - 1] == 10 { return index + 1 }  // bare LF line ends, as some clients send
                if index - start >= 3 && bytes[index - 1] == 13 && bytes[index - 2] == 10 && bytes[index - 3] == 13 {
                    return index + 1
                }
            }
            index += 1
        }
        return nil
    }

    private mutating func respond(
        to head: RequestHead, core: TrackerCore, source: TrackerPeerAddress, output: inout [UInt8]
    ) {
        guard let request = head.request else {
            closing = true
            return Self.append(.badRequest, head: nil, keepAlive: false, to: &output)
        }
        if request.method != "GET" && request.method != "HEAD" {
            closing = true
            return Self.append(.methodNotAllowed, head: request, keepAlive: false, to: &output)
        }
        if request.hasBody {
            closing = true
            return Self.append(.badRequest, head: request, keepAlive: false, to: &output)
        }
        let answer = core.answerHTTP(target: request.target, source: source)
        if !request.keepAlive { closing = true }
        Self.append(answer, head: request, keepAlive: request.keepAlive, to: &output)
    }

    static func append(
        _ answer: TrackerHTTPAnswer, head: RequestHead.Request?, keepAlive: Bool, to output: inout [UInt8]
    ) {
        let isHTTP10 = head?.isHTTP10 == true
        output.reserveCapacity(output.count + 160 + answer.body.count)
        // The common head (200, text/plain) from static text: this runs once per announce.
        if answer.status == 200 && answer.contentType == "text/plain" {
            append(isHTTP10 ? "HTTP/1.0 200 OK\r\n" : "HTTP/1.1 200 OK\r\n", to: &output)
            append("Content-Type: text/plain\r\nContent-Length: ", to: &output)
        } else {
            output.append(
                contentsOf: "\(isHTTP10 ? "HTTP/1.0" : "HTTP/1.1") \(answer.status) \(reason(answer.status))\r\n".utf8)
            output.append(contentsOf: "Content-Type: \(answer.contentType)\r\nContent-Length: ".utf8)
        }
        AnnounceResponseWriter.writeDecimal(answer.body.count, to: &output)
        append("\r\n", to: &output)
        if answer.status == 405 { append("Allow: GET, HEAD\r\n", to: &output) }
        if !keepAlive {
            append("Connection: close\r\n", to: &output)
        } else if isHTTP10 {
            append("Connection: keep-alive\r\n", to: &output)
        }
        append("\r\n", to: &output)
        if head?.method != "HEAD" { output.append(contentsOf: answer.body) }
    }

    private static func append(_ text: StaticString, to output: inout [UInt8]) {
        text.withUTF8Buffer { output.append(contentsOf: $0) }
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 400: return "Bad Request"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        default: return "Error"
        }
    }
}

extension TrackerHTTPAnswer {
    static let badRequest = TrackerHTTPAnswer(
        status: 400, contentType: "text/plain; charset=utf-8", body: Array("bad request\n".utf8))
    static let methodNotAllowed = TrackerHTTPAnswer(
        status: 405, contentType: "text/plain; charset=utf-8", body: Array("only GET is served\n".utf8))
}
