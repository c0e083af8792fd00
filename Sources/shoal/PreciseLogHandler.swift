import Foundation
import Logging

/// Log lines on stderr stamped to the millisecond in UTC (`2026-12-05T22:01:02.345Z warning shoal: …`):
/// `--log-level trace` follows single blocks through a swarm, and several nodes' logs are read side by side.
struct PreciseLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let fields =
            merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0)=\($1)" }.joined(separator: " ")
        let line = "\(Self.timestamp()) \(event.level) \(label):\(fields) \(event.message)\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Made once: at trace level a line is logged per block.
    private static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// Now, as ISO 8601 with milliseconds, in UTC.
    static func timestamp(_ date: Date = Date()) -> String { date.formatted(timestampStyle) }
}
