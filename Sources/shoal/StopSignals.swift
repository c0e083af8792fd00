import Dispatch
import Glibc
import Synchronization

/// Turns SIGINT and SIGTERM into events, so Ctrl-C stops a swarm gracefully (trackers hear `stopped`,
/// peers are closed, files are flushed) instead of killing the process.
///
/// The signal sources are made once per process and only the handler changes: libdispatch installs its
/// own signal handler once, so making sources again (an ingest, then a seed) would lose the signals.
final class StopSignals: Sendable {
    private static let dispatcher = SignalDispatcher()

    init(onSignal: @escaping @Sendable (Int32) -> Void) {
        Self.dispatcher.current.handler.withLock { $0 = onSignal }
    }

    /// Gives the signals back to the default handlers: a second Ctrl-C after this kills at once.
    func restoreDefaults() {
        Self.dispatcher.current.handler.withLock { $0 = nil }
    }
}

/// The process's SIGINT and SIGTERM: to the current handler, or, with none, the default action.
private final class SignalDispatcher: Sendable {
    final class Current: Sendable {
        let handler = Mutex<(@Sendable (Int32) -> Void)?>(nil)
    }

    let current = Current()
    private nonisolated(unsafe) let sources: [any DispatchSourceSignal]

    init() {
        var sources: [any DispatchSourceSignal] = []
        let current = self.current
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                guard let handler = current.handler.withLock({ $0 }) else {
                    signal(number, SIG_DFL)
                    kill(getpid(), number)
                    return
                }
                handler(number)
            }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }
}
