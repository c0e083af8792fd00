import Dispatch
import Glibc

/// Turns SIGINT and SIGTERM into events, so Ctrl-C stops a swarm gracefully (trackers hear `stopped`,
/// peers are closed, files are flushed) instead of killing the process.
final class StopSignals: Sendable {
    private nonisolated(unsafe) let sources: [any DispatchSourceSignal]

    init(onSignal: @escaping @Sendable (Int32) -> Void) {
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { onSignal(number) }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    /// Gives the signals back to the default handlers: a second Ctrl-C after this kills at once.
    func restoreDefaults() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
