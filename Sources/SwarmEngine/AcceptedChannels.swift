import NIOCore
import Synchronization

/// Accepted connections on their way from NIO's child initializer to the engine's accept loop. NIO passes a
/// listener's wrapped children through a buffer that it drops when the accept loop ends (cancelled, or the
/// listener closed); a wrapped channel dropped without being closed stops the process (NIO's "Deinited
/// NIOAsyncWriter without calling finish()", swift-nio#2637). So every child is held here from its initializer
/// until the loop takes it, and the ones never taken are closed when the listener ends.
final class AcceptedChannels: Sendable {
    private let state = Mutex(State())

    private struct State {
        var waiting: [ObjectIdentifier: PeerChannel] = [:]
        var ended = false
    }

    /// Wraps a fresh child with `wrap` and holds it. Once the listener ended, closes it instead, before it is
    /// wrapped (a bare channel may be dropped), and fails its initializer.
    func admit(_ child: any Channel, wrap: (any Channel) throws -> PeerChannel) throws -> PeerChannel {
        try state.withLock { state in
            guard !state.ended else {
                child.close(promise: nil)
                throw ListenerEnded()
            }
            let channel = try wrap(child)
            state.waiting[ObjectIdentifier(channel.channel)] = channel
            return channel
        }
    }

    /// The accept loop has the child: from now on it is the loop's to close.
    func take(_ channel: PeerChannel) {
        _ = state.withLock { $0.waiting.removeValue(forKey: ObjectIdentifier(channel.channel)) }
    }

    /// The listener ended: closes the children the loop never took, and refuses any that arrive later.
    func end() async {
        let left = state.withLock { state in
            state.ended = true
            defer { state.waiting = [:] }
            return Array(state.waiting.values)
        }
        for channel in left { await channel.discard() }
    }
}

/// A connection arrived after its listener ended.
struct ListenerEnded: Error {}
