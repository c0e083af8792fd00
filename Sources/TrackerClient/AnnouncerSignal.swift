/// What the engine asks of a running `Announcer`.
enum AnnouncerSignal: Hashable, Sendable {
    /// The download finished: announce `completed` now.
    case completed
    /// Announce soon for more peers, but not before the minimum interval.
    case announceNow
    /// Announce `stopped` and end the loop.
    case stop
}
