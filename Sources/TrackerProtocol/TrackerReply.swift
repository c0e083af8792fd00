/// A tracker's answer: what was asked for, or a refusal with a reason meant for the user.
public enum TrackerReply<Payload> {
    case success(Payload)
    /// The `failure reason` of an HTTP response, or the message of a UDP error packet.
    case failure(reason: String)

    /// The payload, or nil for a failure.
    public var payload: Payload? {
        if case .success(let payload) = self { return payload }
        return nil
    }
}

extension TrackerReply: Sendable where Payload: Sendable {}
extension TrackerReply: Equatable where Payload: Equatable {}
