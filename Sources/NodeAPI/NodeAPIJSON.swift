import Foundation

/// The JSON coding every party of the control API uses: dates as ISO 8601 text in UTC
/// (`2026-05-01T12:00:00Z`), keys sorted so bodies are stable. Use these rather than a bare
/// `JSONEncoder`/`JSONDecoder`, whose default date form differs.
public enum NodeAPIJSON {
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
