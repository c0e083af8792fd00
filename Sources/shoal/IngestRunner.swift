import Dispatch
import Glibc
import MediaIngest
import TorrentModel

/// Runs an ingest on its own thread (it blocks on file and codec work), with a progress line on
/// stderr and Ctrl-C turned into a clean stop that leaves nothing behind.
enum IngestRunner {
    static func ingest(_ request: IngestRequest, showProgress: Bool) async throws -> IngestResult {
        let cancellation = IngestCancellation()
        let signals = StopSignals { _ in cancellation.cancel() }
        defer { signals.restoreDefaults() }
        let display = IngestProgressDisplay(enabled: showProgress)
        let outcome: Result<IngestResult, IngestError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(
                    returning: Result { () throws(IngestError) in
                        try VideoIngest.run(request, cancellation: cancellation, progress: display.update)
                    })
            }
        }
        display.finish()
        switch outcome {
        case .success(let result):
            if !result.reused { display.printClosingLine(duration: result.summary.duration) }
            return result
        case .failure(.interrupted):
            throw CLIError(message: IngestError.interrupted.description, exitCode: 130)
        case .failure(let error):
            throw CLIError.input(error.description)
        }
    }

    static func printSummary(_ result: IngestResult) {
        let summary = result.summary
        if result.reused { print("reused: \(result.folderPath) (same file, same options)") }
        print("folder: \(result.folderPath)/")
        print("torrent: \(result.torrentPath)")
        print(
            "segments: \(summary.segmentCount), \(DurationText.clock(summary.duration)) (\(DurationText.milliseconds(summary.duration)))"
        )
        print("bitrate: \(megabits(summary.averageBitRate)) average, \(megabits(summary.peakBitRate)) peak")
        print("codecs: \(summary.codecs.joined(separator: ","))" + (summary.resolution.map { " \($0)" } ?? ""))
        for stream in summary.streams { print("stream: \(stream)") }
        print(
            "size: \(ByteCount.format(summary.totalBytes)) in \(summary.pieceCount) pieces of "
                + ByteCount.format(Int64(summary.pieceLength)))
        print("infohash: \(result.metainfo.infoHash.hex)")
        print("magnet: \(result.metainfo.magnet.uri)")
    }

    static func megabits(_ bitsPerSecond: Int) -> String {
        let hundredths = Int((Double(bitsPerSecond) / 10_000).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction) Mbit/s"
    }
}
