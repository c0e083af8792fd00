import PeerWire
import Synchronization

/// Frames on their way to one peer's socket. The session appends; the connection's writer takes
/// everything queued at once and writes it with one flush, so a burst of requests or blocks costs one
/// wake-up and one system call instead of one per frame. Finishing it ends the writer (and the connection).
final class OutboundQueue: Sendable {
    private struct State {
        var frames: [PeerWireFrame] = []
        var waiter: CheckedContinuation<Void, Never>?
        var isFinished = false
    }

    private let state = Mutex(State())

    /// Queues a frame; ignored once finished.
    func yield(_ frame: PeerWireFrame) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.isFinished else { return nil }
            state.frames.append(frame)
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// No more frames: the writer ends after what is queued.
    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.isFinished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Everything queued, waiting for at least one frame; nil once finished and drained (or cancelled).
    func next() async -> [PeerWireFrame]? {
        while true {
            let taken = state.withLock { state -> [PeerWireFrame]?? in
                if !state.frames.isEmpty {
                    defer { state.frames = [] }
                    return .some(state.frames)
                }
                return state.isFinished ? .some(nil) : nil
            }
            if let taken { return taken }
            if Task.isCancelled { return nil }
            await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    let ready = state.withLock { state -> Bool in
                        if !state.frames.isEmpty || state.isFinished { return true }
                        state.waiter = continuation
                        return false
                    }
                    if ready { continuation.resume() }
                }
            } onCancel: {
                finish()
            }
        }
    }
}
