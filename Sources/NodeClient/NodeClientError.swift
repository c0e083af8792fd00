/// Why the client could not get an answer from a node, as opposed to a node's own refusal
/// (``NodeAPI/NodeControlError``). Each message is one line for the command line.
public enum NodeClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing listens on the port: the node is not running (or runs on another port).
    case noNodeRunning(port: Int)
    /// The node took longer than the client's timeout to connect or answer.
    case timedOut(port: Int, seconds: Double)
    /// The connection failed in some other way.
    case connectionFailed(port: Int, reason: String)
    /// Something answered, but not as a Shoal node of this version would (a status or body this
    /// client does not understand).
    case unexpectedResponse(status: Int, message: String)

    public var description: String {
        switch self {
        case .noNodeRunning(let port):
            return "no Shoal node is running on 127.0.0.1:\(port); start one with `shoal node`"
        case .timedOut(let port, let seconds):
            let shown = seconds == seconds.rounded() ? "\(Int(seconds))" : "\(seconds)"
            return "the Shoal node on 127.0.0.1:\(port) did not answer within \(shown) s"
        case .connectionFailed(let port, let reason):
            return "could not talk to the Shoal node on 127.0.0.1:\(port): \(reason)"
        case .unexpectedResponse(let status, let message):
            return "unexpected answer from the node (HTTP \(status)): \(message)"
        }
    }
}
