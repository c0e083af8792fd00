import ArgumentParser
import Foundation
import Logging
import TrackerProtocol
import TrackerServer

struct TrackerServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the tracker until Ctrl-C or SIGTERM (the default of `shoal tracker`).",
        discussion: """
            Answers HTTP announces and scrapes (BEP 3, 23, 7, 48) and UDP ones (BEP 15) on the same port. \
            Completed counts, totals and passkeys live in SQLite and survive restarts. Access is open (any \
            torrent) by default; --allow limits it to the infohashes of a file (re-read when it changes); \
            --private requires a passkey in the announce URL (/announce/<passkey>), managed with \
            `shoal tracker keys`. Peers that stop announcing are dropped after two intervals.
            """
    )

    @Option(help: "The port for both HTTP and UDP (0 picks a free one).")
    var port: Int = 6969

    @Option(help: "The address to listen on (:: for IPv4 and IPv6).")
    var bind: String = "0.0.0.0"

    @Flag(help: "Track any torrent (the default).")
    var open = false

    @Option(name: .customLong("allow"), help: "Track only the infohashes listed in this file, one per line.")
    var allowFile: String?

    @Flag(name: .customLong("private"), help: "Require a passkey: announce to /announce/<passkey>.")
    var isPrivate = false

    @Option(help: "Seconds between a client's announces.")
    var interval: Int = 1800

    @Option(name: .customLong("rate-limit"), help: "Requests per second per client address (0: no limit).")
    var rateLimit: Double = 50

    @OptionGroup var database: TrackerDatabaseOption

    @Flag(name: .shortAndLong, help: "Log allow-list reloads and database problems as they happen.")
    var verbose = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard (10...86400).contains(interval) else {
            throw ValidationError("--interval must be from 10 to 86400 seconds")
        }
        guard rateLimit >= 0 && rateLimit <= 1_000_000 else {
            throw ValidationError("--rate-limit must be from 0 (no limit) to 1000000")
        }
        if open && (allowFile != nil || isPrivate) {
            throw ValidationError("--open cannot be combined with --allow or --private")
        }
    }

    func run() async throws {
        var options = TrackerService.Options()
        options.host = bind
        options.port = port
        options.databasePath = try database.resolve()
        options.allowFile = allowFile
        options.isPrivate = isPrivate
        options.configuration.interval = interval
        options.configuration.minimumInterval = max(1, interval / 2)
        options.configuration.rateLimit = AddressRateLimiter.Settings(
            ratePerSecond: rateLimit, burst: max(1, rateLimit * 4))
        var logger = Logger(label: "shoal.tracker")
        logger.logLevel = verbose ? .info : .notice

        let service: TrackerService
        do { service = try await TrackerService.start(options: options, logger: logger) } catch {
            throw CLIError.input(error.message)
        }
        let signals = StopSignals { _ in service.requestStop() }
        defer { signals.restoreDefaults() }

        let host = Self.urlHost(bind)
        let path = isPrivate ? "/announce/<passkey>" : "/announce"
        var access: [String] = []
        if isPrivate { access.append("private: passkeys from `shoal tracker keys`") }
        if let allowFile {
            access.append(
                "allow list \(allowFile), \(service.core.accessPolicy.allowedInfoHashes?.count ?? 0) torrents")
        }
        print("tracker on \(bind):\(service.server.port) (\(access.isEmpty ? "open" : access.joined(separator: "; ")))")
        print("announce: http://\(host):\(service.server.port)\(path)")
        print("announce: udp://\(host):\(service.server.port)\(path)")
        print("stats: http://\(host):\(service.server.port)/")
        print("database: \(options.databasePath ?? "")")
        flushStandardOutput()
        await service.run()
    }

    /// The host to print in URLs: the bound address, or this machine's name for a wildcard bind.
    static func urlHost(_ bind: String) -> String {
        if bind == "0.0.0.0" || bind == "::" {
            return ProcessInfo.processInfo.hostName
        }
        return bind.contains(":") ? "[\(bind)]" : bind
    }
}
