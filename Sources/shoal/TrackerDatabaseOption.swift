import ArgumentParser
import Foundation

/// Where the tracker keeps completed counts, totals and passkeys: `--database`, else tracker.sqlite in
/// the data directory.
struct TrackerDatabaseOption: ParsableArguments {
    @OptionGroup var location: DataDirectoryOption

    @Option(help: "The tracker's SQLite file (default: tracker.sqlite in the data directory).")
    var database: String?

    func resolve() throws(CLIError) -> String {
        if let database { return database }
        let directory = try location.resolve()
        do {
            try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        } catch {
            throw .input("cannot create the data directory \(directory.path): \(error.localizedDescription)")
        }
        return directory.path + "/tracker.sqlite"
    }
}
