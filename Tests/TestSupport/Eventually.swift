import Foundation

/// Polls `condition` every `poll` until it holds, failing after `timeout` of real time. Generous, because
/// on a 2-core CI machine other suites' process-running tests can hold the cooperative threads for seconds.
public func eventually(
    _ what: String, timeout: Duration = .seconds(90), poll: Duration = .milliseconds(2),
    _ condition: @Sendable () async -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while !(await condition()) {
        guard ContinuousClock.now < deadline else { throw TimedOutWaiting(what: what) }
        try await Task.sleep(for: poll)
    }
}
