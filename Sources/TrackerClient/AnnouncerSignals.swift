import Foundation

/// Signals posted from any thread, and a wait that ends when one of interest arrives.
/// A lock rather than an actor: `post` must work from synchronous code, and a cancelled wait must
/// end without hopping anywhere.
final class AnnouncerSignals: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: Set<AnnouncerSignal> = []
    private var waiter: (interest: Set<AnnouncerSignal>, continuation: CheckedContinuation<Void, Never>)?

    func post(_ signal: AnnouncerSignal) {
        let continuation: CheckedContinuation<Void, Never>? = lock.withLock {
            pending.insert(signal)
            guard let waiter, waiter.interest.contains(signal) else { return nil }
            self.waiter = nil
            return waiter.continuation
        }
        continuation?.resume()
    }

    func contains(_ signal: AnnouncerSignal) -> Bool { lock.withLock { pending.contains(signal) } }

    /// Removes `signal` and says whether it was pending.
    func take(_ signal: AnnouncerSignal) -> Bool { lock.withLock { pending.remove(signal) != nil } }

    /// Returns once one of `interest` is pending (it stays pending), or when the task is cancelled.
    /// One waiter at a time.
    func wait(for interest: Set<AnnouncerSignal>) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = lock.withLock {
                    if !pending.isDisjoint(with: interest) || Task.isCancelled { return true }
                    waiter = (interest, continuation)
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            let continuation = lock.withLock {
                defer { waiter = nil }
                return waiter?.continuation
            }
            continuation?.resume()
        }
    }
}
