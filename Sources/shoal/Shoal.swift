import ArgumentParser
import Glibc
import Logging

@main
struct Shoal: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shoal",
        abstract: "A BitTorrent-compatible swarm for video.",
        version: ShoalVersion.current,
        subcommands: [
            CreateCommand.self, InfoCommand.self, DownloadCommand.self, SeedCommand.self, NodeCommand.self,
            AddCommand.self, ListCommand.self, ShowCommand.self, PauseCommand.self, ResumeCommand.self,
            RemoveCommand.self, IngestCommand.self, WatchCommand.self, TrackerCommand.self, DHTCommand.self,
            VersionCommand.self,
        ]
    )

    /// Runs the command and turns every failure into one line on stderr and an exit code:
    /// 1 for bad input (a broken torrent, an unreadable file), 2 for bad usage (unknown option, bad value).
    static func main() async {
        MemoryTuning.keepLargeBuffers()
        LoggingSystem.bootstrap { PreciseLogHandler(label: $0) }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as CLIError {
            Terminal.printError(error.message)
            Glibc.exit(error.exitCode)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Glibc.exit(0)
            }
            let message = message(for: error)
            if !message.isEmpty { Terminal.printError(message.split(separator: "\n").joined(separator: "; ")) }
            Glibc.exit(code == .validationFailure ? CLIError.usageExitCode : code.rawValue)
        }
    }
}
