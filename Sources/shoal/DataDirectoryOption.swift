import ArgumentParser
import Foundation
import ShoalNode

/// `--data-dir`, shared by the node and the commands that talk to it.
struct DataDirectoryOption: ParsableArguments {
    @Option(
        name: .customLong("data-dir"),
        help:
            "The node's data directory (default: $SHOAL_DATA_DIR, else $XDG_DATA_HOME/shoal, else ~/.local/share/shoal)."
    )
    var dataDir: String?

    func resolve() throws(CLIError) -> DataDirectory {
        do {
            return try DataDirectory.resolve(flag: dataDir, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw .usage(error.description)
        }
    }
}
