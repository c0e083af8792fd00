import Glibc
import Streaming

/// Live progress of a swarm on stderr: a line rewritten in place every second on a terminal, a plain
/// line every `plainInterval` otherwise (logs, CI).
struct TransferProgressDisplay: Sendable {
    struct Snapshot: Sendable {
        var verifiedBytes: Int64
        var totalBytes: Int64
        var downloadedBytes: Int64
        var uploadedBytes: Int64
        var peers: Int
    }

    static let terminalInterval: Duration = .seconds(1)
    static let plainInterval: Duration = .seconds(5)

    let enabled: Bool
    let isTerminal = Terminal.standardErrorIsTerminal

    /// Prints until cancelled, reading the figures from `snapshot` each time.
    func run(_ snapshot: @Sendable () async -> Snapshot) async {
        guard enabled else { return }
        let interval = isTerminal ? Self.terminalInterval : Self.plainInterval
        var previous = await snapshot()
        var previousTime = ContinuousClock.now
        var downRate = 0.0
        var upRate = 0.0
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if Task.isCancelled { break }
            let current = await snapshot()
            let now = ContinuousClock.now
            let elapsed = (now - previousTime).seconds
            if elapsed > 0 {
                // Smoothed so one slow second does not make the ETA jump.
                let weight = min(1, elapsed / 5)
                downRate += (Double(current.downloadedBytes - previous.downloadedBytes) / elapsed - downRate) * weight
                upRate += (Double(current.uploadedBytes - previous.uploadedBytes) / elapsed - upRate) * weight
            }
            previous = current
            previousTime = now
            let line = Self.line(current, downRate: downRate, upRate: upRate)
            Terminal.writeToStandardError(isTerminal ? "\r\u{1B}[K" + line : line + "\n")
        }
        if isTerminal { Terminal.writeToStandardError("\r\u{1B}[K") }
    }

    static func line(_ snapshot: Snapshot, downRate: Double, upRate: Double) -> String {
        let total = max(snapshot.totalBytes, 1)
        let percent = Double(snapshot.verifiedBytes) * 100 / Double(total)
        var parts = [
            "\(formatPercent(percent)) of \(ByteCount.format(snapshot.totalBytes))",
            "down \(ByteCount.format(Int64(downRate)))/s",
            "up \(ByteCount.format(Int64(upRate)))/s",
            "\(snapshot.peers) peer\(snapshot.peers == 1 ? "" : "s")",
        ]
        let left = snapshot.totalBytes - snapshot.verifiedBytes
        if left > 0 && downRate >= 1 {
            parts.append("ETA \(formatDuration(Double(left) / downRate))")
        } else if left == 0 {
            parts.append("seeding")
        }
        return parts.joined(separator: "  ")
    }

    static func formatPercent(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded(.down))
        return "\(tenths / 10).\(tenths % 10)%"
    }

    static func formatDuration(_ seconds: Double) -> String {
        guard seconds.isFinite && seconds < 360_000 else { return "--" }
        let total = Int(seconds.rounded(.up))
        if total >= 3600 { return "\(total / 3600)h\(String(format2: (total % 3600) / 60))m" }
        if total >= 60 { return "\(total / 60)m\(String(format2: total % 60))s" }
        return "\(total)s"
    }
}

extension String {
    /// Two digits, zero-padded.
    fileprivate init(format2 value: Int) {
        self = value < 10 ? "0\(value)" : "\(value)"
    }
}
