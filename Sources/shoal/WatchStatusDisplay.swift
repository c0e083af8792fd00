import Streaming
import StreamingEngine
import TorrentModel

/// The live status line of a streamed torrent on stderr: buffer ahead, progress, rates, peers, stalls. Rewritten in
/// place every second on a terminal, a plain line every `TransferProgressDisplay.plainInterval` otherwise.
struct WatchStatusDisplay: Sendable {
    let enabled: Bool
    let isTerminal = Terminal.standardErrorIsTerminal

    func run(_ streamer: StreamingTorrent) async {
        guard enabled else { return }
        let interval = isTerminal ? TransferProgressDisplay.terminalInterval : TransferProgressDisplay.plainInterval
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if Task.isCancelled { break }
            let line = Self.line(await streamer.status())
            Terminal.writeToStandardError(isTerminal ? "\r\u{1B}[K" + line : line + "\n")
        }
        if isTerminal { Terminal.writeToStandardError("\r\u{1B}[K") }
    }

    static func line(_ status: StreamStatus) -> String {
        let percent = Double(status.verifiedBytes) * 100 / Double(max(status.totalBytes, 1))
        var parts: [String] = []
        if let playback = status.playback {
            parts.append("buffer \(DurationText.seconds(playback.bufferAheadSeconds))")
            parts.append("at \(DurationText.clock(playback.positionSeconds))")
        }
        parts += [
            "\(TransferProgressDisplay.formatPercent(percent)) of \(ByteCount.format(status.totalBytes))",
            "down \(ByteCount.format(Int64(status.downloadRate)))/s",
            "up \(ByteCount.format(Int64(status.uploadRate)))/s",
            "\(status.peers) peer\(status.peers == 1 ? "" : "s")",
            "stalls \(status.quality.stalls)",
        ]
        if let startup = status.quality.startupSeconds { parts.append("startup \(DurationText.seconds(startup))") }
        return parts.joined(separator: "  ")
    }
}
