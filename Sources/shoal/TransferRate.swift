import ArgumentParser

/// A `--max-…-rate` value: bytes per second, with K/M/G suffixes (binary): `500k`, `2M`. `0` means no limit.
struct TransferRate: ExpressibleByArgument, Sendable {
    var bytesPerSecond: Int

    init?(argument: String) {
        guard let bytes = ByteCount.parse(argument) else { return nil }
        bytesPerSecond = bytes
    }

    /// Nil for "no limit".
    var limit: Int? { bytesPerSecond > 0 ? bytesPerSecond : nil }

    static var defaultValueDescription: String { "0 (no limit)" }
}
