import Dispatch
import MediaIngest
import Synchronization
import TorrentModel

/// The ingest's live line on stderr: a bar, the position in the video, the percentage and the speed as a
/// multiple of real time. Only on a terminal; elsewhere one closing line says how long it took.
final class IngestProgressDisplay: Sendable {
    static let refreshInterval = 0.25
    static let barWidth = 24

    private let enabled: Bool
    private let isTerminal: Bool
    private let start = DispatchTime.now()
    private let lastDrawn = Mutex<Double>(-1)

    init(enabled: Bool) {
        self.enabled = enabled
        isTerminal = Terminal.standardErrorIsTerminal
    }

    var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }

    func update(_ progress: IngestProgress) {
        guard enabled && isTerminal else { return }
        let now = elapsed
        let due = lastDrawn.withLock { last in
            guard now - last >= Self.refreshInterval else { return false }
            last = now
            return true
        }
        guard due else { return }
        Terminal.writeToStandardError("\r" + Self.line(progress, elapsed: now) + "\u{1B}[K")
    }

    func finish() {
        if enabled && isTerminal { Terminal.writeToStandardError("\r\u{1B}[K") }
    }

    func printClosingLine(duration: Double) {
        guard enabled else { return }
        let taken = elapsed
        Terminal.writeToStandardError(
            "ingested \(DurationText.milliseconds(duration)) of video in \(DurationText.milliseconds(taken)) "
                + "(\(Self.speed(duration, taken)) realtime)\n")
    }

    static func line(_ progress: IngestProgress, elapsed: Double) -> String {
        switch progress.phase {
        case .probing:
            return "ingest: reading the file for its key frames"
        case .segmenting:
            let fraction = progress.duration > 0 ? min(1, progress.position / progress.duration) : 0
            let filled = Int(fraction * Double(barWidth))
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: barWidth - filled)
            return "ingest: [\(bar)] \(Int(fraction * 100))% \(DurationText.clock(progress.position)) of "
                + "\(DurationText.clock(progress.duration)), \(speed(progress.position, elapsed)) realtime"
        }
    }

    /// "12.3×": seconds of video per second of work.
    static func speed(_ video: Double, _ taken: Double) -> String {
        guard taken > 0 else { return "–×" }
        let tenths = Int((video / taken * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)×"
    }
}
