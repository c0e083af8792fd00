import Foundation

/// Runs blocking `work` (a child process to its end) on a thread of its own and awaits it. Swift's
/// cooperative pool has one thread per core (two on CI): a test that blocked one while a child ran for a minute
/// starved every other test of the process — in-process swarms and DHT nodes stopped answering, and their
/// time-outs failed them.
public func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<T, any Error>) in
        let thread = Thread {
            do {
                waiter.resume(returning: try work())
            } catch {
                waiter.resume(throwing: error)
            }
        }
        thread.start()
    }
}
