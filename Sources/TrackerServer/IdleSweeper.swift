import NIOCore

/// Closes HTTP connections that stay silent: one per event loop, looked at every few seconds. A timer per
/// connection cost about a tenth of the CPU of an announce (clients open a connection per announce); a
/// slot in an array costs next to nothing. Used only on its own loop.
final class IdleSweeper {
    static let timeout = TimeAmount.seconds(30)
    static let period = TimeAmount.seconds(5)

    private var connections: [TrackerHTTPConnection] = []
    private var task: RepeatedTask?

    /// Starts sweeping `loop`; call on `loop`.
    func start(on loop: any EventLoop) {
        let bound = NIOLoopBound(self, eventLoop: loop)
        task = loop.scheduleRepeatedTask(initialDelay: Self.period, delay: Self.period) { _ in
            bound.value.sweep(now: .now())
        }
    }

    func stop() {
        task?.cancel()
        task = nil
    }

    func add(_ connection: TrackerHTTPConnection) {
        connection.sweepSlot = connections.count
        connections.append(connection)
    }

    func remove(_ connection: TrackerHTTPConnection) {
        let slot = connection.sweepSlot
        guard slot >= 0, slot < connections.count, connections[slot] === connection else { return }
        let last = connections.removeLast()
        if slot < connections.count {
            connections[slot] = last
            last.sweepSlot = slot
        }
        connection.sweepSlot = -1
    }

    private func sweep(now: NIODeadline) {
        // Closing removes a connection from the array (channelInactive), so collect first.
        let idle = connections.filter { now - $0.lastActivity >= Self.timeout }
        for connection in idle { connection.closeIdle() }
    }
}
