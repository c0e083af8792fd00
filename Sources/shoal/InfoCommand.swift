import ArgumentParser
import TorrentModel

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show what a .torrent file or a magnet link describes.",
        discussion: "With --json, prints one JSON object; its keys are listed in docs/cli.md."
    )

    @Argument(help: "A .torrent file or a magnet link.")
    var source: String

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func run() throws {
        let summary: TorrentSummary
        if source.lowercased().hasPrefix("magnet:") {
            do {
                summary = TorrentSummary(magnet: try MagnetLink(parsing: source))
            } catch {
                throw CLIError.input(error.description)
            }
        } else {
            let bytes = try FileIO.readAll(source)
            do {
                summary = TorrentSummary(metainfo: try Metainfo(bytes: bytes))
            } catch {
                throw CLIError.input("\(source): \(error.description)")
            }
        }
        print(json ? summary.json : summary.text)
    }
}
