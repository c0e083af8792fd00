import ArgumentParser
import Streaming

/// The options of the built-in HTTP server that streams a video torrent (`shoal watch`, `shoal seed VIDEO`).
struct StreamingOptions: ParsableArguments {
    @Option(name: .customLong("http-port"), help: "The HTTP port for the player page and HLS (0 picks a free one).")
    var httpPort: Int = 0

    @Option(
        name: .customLong("http-bind"),
        help: "The HTTP server's address; 127.0.0.1 keeps it on this machine, 0.0.0.0 serves the LAN.")
    var httpBind: String = "127.0.0.1"

    @Option(
        name: .customLong("streaming-mode"),
        help: ArgumentHelp(
            "Piece order: deadline (what the player needs next first, the rest rarest-first), "
                + "rarest-first or sequential (baselines for benchmarks)."))
    var mode: StreamingModeArgument = StreamingModeArgument(mode: .deadline)

    func validate() throws {
        guard (0...65535).contains(httpPort) else { throw ValidationError("--http-port must be from 0 to 65535") }
    }

    var settings: StreamingSettings {
        var settings = StreamingSettings.standard
        settings.mode = mode.mode
        return settings
    }
}

struct StreamingModeArgument: ExpressibleByArgument, Sendable {
    let mode: StreamingMode

    init(mode: StreamingMode) { self.mode = mode }

    init?(argument: String) {
        guard let mode = StreamingMode(name: argument) else { return nil }
        self.mode = mode
    }

    static var allValueStrings: [String] { StreamingMode.allCases.map(\.name) }
    var defaultValueDescription: String { mode.name }
}
