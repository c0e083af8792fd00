import Dispatch
import Glibc
import TorrentCreation

/// Shows hashing progress on stderr while a job runs: a live line on a terminal, and a closing
/// summary with the rate for inputs large enough that the wait is noticeable.
struct HashingProgressDisplay {
    /// Inputs smaller than this hash in well under a second: no progress, no summary.
    static let minimumBytesToShow: Int64 = 64 * 1024 * 1024
    static let refreshInterval: Double = 0.25

    let counter: ProgressCounter
    let enabled: Bool

    func run<T>(_ job: () throws(CreationError) -> T) throws(CreationError) -> T {
        guard enabled && counter.total >= Self.minimumBytesToShow else { return try job() }
        let start = DispatchTime.now()
        let finished = DispatchSemaphore(value: 0)
        let ticker = DispatchGroup()
        if Terminal.standardErrorIsTerminal {
            DispatchQueue.global().async(group: ticker) { [counter] in
                while finished.wait(timeout: .now() + Self.refreshInterval) == .timedOut {
                    Terminal.writeToStandardError("\r\(Self.line(counter: counter, since: start))\u{1B}[K")
                }
                Terminal.writeToStandardError("\r\u{1B}[K")
            }
        }
        defer {
            finished.signal()
            ticker.wait()
        }
        let result = try job()
        Terminal.writeToStandardError("hashed \(Self.line(counter: counter, since: start))\n")
        return result
    }

    /// Hashes `content` into a torrent with `creator`, showing progress when `enabled`.
    static func create(
        _ content: ScannedContent, with creator: TorrentCreator, enabled: Bool
    ) throws(CreationError) -> CreatedTorrent {
        let progress = ProgressCounter(total: content.totalLength)
        let display = HashingProgressDisplay(counter: progress, enabled: enabled)
        return try display.run { () throws(CreationError) in try creator.create(from: content, progress: progress) }
    }

    private static func line(counter: ProgressCounter, since start: DispatchTime) -> String {
        let done = counter.completed
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        let percent = counter.total > 0 ? Int(Double(done) * 100 / Double(counter.total)) : 100
        let rate = seconds > 0 ? Double(done) / seconds / 1e6 : 0
        return "\(ByteCount.format(done)) of \(ByteCount.format(counter.total)) (\(percent)%) "
            + "in \(String(format1: seconds)) s, \(Int(rate)) MB/s"
    }
}

extension String {
    /// One decimal place, without Foundation.
    fileprivate init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(tenths % 10)"
    }
}
