/// The action number that follows the connection id in a request and opens every response (BEP 15).
public enum UDPTrackerAction: UInt32, Hashable, Sendable {
    case connect = 0
    case announce = 1
    case scrape = 2
    /// Responses only: the tracker refuses, with a message.
    case error = 3
}
