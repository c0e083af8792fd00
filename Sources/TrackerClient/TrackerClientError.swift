import TrackerProtocol

/// Why an announce or scrape did not give an answer.
public enum TrackerClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not an `http`, `https` or `udp` URL.
    case unsupportedURL(String)
    /// The URL could not be read (no host, bad port).
    case invalidURL(String)
    /// The tracker refused: its `failure reason` or UDP error message, for the user.
    case trackerFailure(String)
    case httpStatus(Int)
    case responseTooLarge(limit: Int)
    /// No answer in time (HTTP timeout, or every UDP retransmission went unanswered).
    case timedOut
    case malformedResponse(TrackerProtocolError)
    /// A UDP tracker answered with something that does not fit the request.
    case unexpectedResponse(String)
    /// Connecting, resolving or sending failed; the text is the underlying error.
    case network(String)
    /// The tracker has no scrape URL (BEP 48).
    case scrapeUnsupported
    case cancelled

    public var description: String {
        switch self {
        case .unsupportedURL(let url): return "unsupported tracker URL \(url) (only http, https and udp)"
        case .invalidURL(let url): return "invalid tracker URL \(url)"
        case .trackerFailure(let reason): return "tracker refused: \(reason)"
        case .httpStatus(let status): return "tracker answered HTTP \(status)"
        case .responseTooLarge(let limit): return "tracker response larger than \(limit) bytes"
        case .timedOut: return "tracker did not answer in time"
        case .malformedResponse(let error): return "bad tracker response: \(error)"
        case .unexpectedResponse(let what): return "unexpected tracker response: \(what)"
        case .network(let what): return "tracker unreachable: \(what)"
        case .scrapeUnsupported: return "tracker does not support scrape"
        case .cancelled: return "announce cancelled"
        }
    }
}
