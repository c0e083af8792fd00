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

    /// Holds a fresh child; once the listener ended, closes it instead.
    func hold(_ channel: PeerChannel) {
        let kept = state.withLock { state -> Bool in
            guard !state.ended else { return false }
            state.waiting[ObjectIdentifier(channel.channel)] = channel
            return true
        }
        if !kept { Task { await channel.discard() } }
    }

    /// The accept loop has the child: from now on it is the loop's to close.
    func take(_ channel: PeerChannel) {
        _ = state.withLock { $0.waiting.removeValue(forKey: ObjectIdentifier(channel.channel)) }
    }

    /// The listener ended: closes the children the loop never took, and any that arrive later.
    func end() async {
        let left = state.withLock { state in
            state.ended = true
            defer { state.waiting = [:] }
            return Array(state.waiting.values)
        }
        for channel in left { await channel.discard() }
    }
}
