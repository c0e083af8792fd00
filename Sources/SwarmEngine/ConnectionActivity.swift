import Synchronization

/// When a connection last read and last wrote, shared by its reader, writer and timer tasks.
final class ConnectionActivity: Sendable {
    private let lastRead: Mutex<ContinuousClock.Instant>
    private let lastWrite: Mutex<ContinuousClock.Instant>

    init(now: ContinuousClock.Instant) {
        lastRead = Mutex(now)
        lastWrite = Mutex(now)
    }

    func didRead(at now: ContinuousClock.Instant) { lastRead.withLock { $0 = now } }
    func didWrite(at now: ContinuousClock.Instant) { lastWrite.withLock { $0 = now } }
    func silence(now: ContinuousClock.Instant) -> Duration { now - lastRead.withLock { $0 } }
    func quiet(now: ContinuousClock.Instant) -> Duration { now - lastWrite.withLock { $0 } }
}
