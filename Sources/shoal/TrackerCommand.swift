import ArgumentParser

/// `shoal tracker`: run a tracker (the default), or manage its passkeys with `shoal tracker keys`.
struct TrackerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tracker",
        abstract: "Run a BitTorrent tracker (HTTP and UDP on one port), or manage its passkeys.",
        subcommands: [TrackerServeCommand.self, TrackerKeysCommand.self],
        defaultSubcommand: TrackerServeCommand.self
    )
}
