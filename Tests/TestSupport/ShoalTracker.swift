import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `shoal tracker` on 127.0.0.1, HTTP and UDP on one port the kernel picked, its counts in a SQLite file:
/// the tracker the interop and CLI tests meet through. Stopped with SIGKILL when the value goes away.
public final class ShoalTracker: @unchecked Sendable {
    public let process: BackgroundProcess
    public let port: Int
    public let databasePath: String
    /// Holds the database when the caller named none.
    private let directory: TemporaryDirectory?

    public var httpURL: String { "http://127.0.0.1:\(port)/announce" }
    public var udpURL: String { "udp://127.0.0.1:\(port)/announce" }
    /// The announce URL of a private tracker: the passkey is the path component after `announce`.
    public func httpURL(passkey: String) -> String { "\(httpURL)/\(passkey)" }
    public func udpURL(passkey: String) -> String { "\(udpURL)/\(passkey)" }

    private init(process: BackgroundProcess, port: Int, databasePath: String, directory: TemporaryDirectory?) {
        self.process = process
        self.port = port
        self.databasePath = databasePath
        self.directory = directory
    }

    deinit { process.stop() }

    /// Runs `shoal tracker --port 0 --bind 127.0.0.1 --database PATH` plus `arguments` (`--private`,
    /// `--allow FILE`, ...) and waits until it printed its URLs, which it does once both sockets are bound.
    /// Without `databasePath` the database goes in a temporary folder.
    public static func start(_ arguments: [String] = [], databasePath: String? = nil) async throws -> ShoalTracker {
        var directory: TemporaryDirectory?
        let database: String
        if let databasePath {
            database = databasePath
        } else {
            let made = try TemporaryDirectory(prefix: "shoal-tracker")
            database = made.url.appendingPathComponent("tracker.sqlite").path
            directory = made
        }
        let process = try BackgroundProcess(
            try ShoalBinary.path(),
            ["tracker", "--port", "0", "--bind", "127.0.0.1", "--database", database] + arguments,
            name: "shoal tracker")
        do {
            // "tracker on 127.0.0.1:35971 (open)"
            let heading = try await process.waitForLine(startingWith: "tracker on 127.0.0.1:", timeout: .seconds(120))
            guard let port = Int(heading.prefix(while: \.isNumber)), port > 0 else {
                throw UnexpectedTrackerOutput(output: process.standardOutput + process.standardError)
            }
            _ = try await process.waitForLine(startingWith: "database: ", timeout: .seconds(60))
            return ShoalTracker(process: process, port: port, databasePath: database, directory: directory)
        } catch {
            process.stop()
            throw error
        }
    }

    /// SIGINT, as Ctrl-C would send: the tracker saves its counts and exits; returns the exit status.
    public func interrupt() async throws -> Int32 { try await process.interrupt(timeout: .seconds(60)) }

    /// SIGKILL.
    public func stop() { process.stop() }

    // MARK: HTTP

    /// A GET of `target` (path and query, sent as written: percent-escapes stay as they are).
    public func get(_ target: String) async throws -> (status: Int, body: [UInt8]) {
        try await Self.get("http://127.0.0.1:\(port)\(target)")
    }

    /// A GET without any caching, so that each poll reaches the tracker.
    public static func get(_ url: String) async throws -> (status: Int, body: [UInt8]) {
        guard let address = URL(string: url) else { throw UnexpectedTrackerOutput(output: "bad URL \(url)") }
        var request = URLRequest(url: address)
        request.cachePolicy = .reloadIgnoringLocalAndRemoteCacheData
        request.timeoutInterval = 30
        let (data, response) = try await session.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, Array(data))
    }

    private static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalAndRemoteCacheData
        return URLSession(configuration: configuration)
    }()

    /// `/stats.json`.
    public func stats() async throws -> Stats {
        let (status, body) = try await get("/stats.json")
        guard status == 200 else {
            throw UnexpectedTrackerOutput(
                output: "/stats.json: HTTP \(status): \(String(decoding: body, as: UTF8.self))")
        }
        return try JSONDecoder().decode(Stats.self, from: Data(body))
    }

    /// `/scrape` of one torrent (BEP 48), read with a pattern rather than a bencode parser.
    public func scrape(infoHashHex: String, passkey: String? = nil) async throws -> ScrapeCounts {
        let path = passkey.map { "/scrape/\($0)" } ?? "/scrape"
        let (_, body) = try await get("\(path)?info_hash=\(Self.percentEncoded(infoHashHex))")
        let text = String(decoding: body, as: UTF8.self)
        func count(_ key: String) -> Int? {
            guard let range = text.range(of: "\(key.utf8.count):\(key)i") else { return nil }
            return Int(text[range.upperBound...].prefix(while: { $0.isNumber || $0 == "-" }))
        }
        guard let complete = count("complete"), let downloaded = count("downloaded"),
            let incomplete = count("incomplete")
        else { throw UnexpectedTrackerOutput(output: "scrape: \(text)") }
        return ScrapeCounts(complete: complete, downloaded: downloaded, incomplete: incomplete)
    }

    /// Polls `/stats.json` until `condition` holds (described by `what`) and returns those statistics.
    @discardableResult
    public func waitForStats(
        _ what: String, timeout: Duration = .seconds(120), _ condition: (Stats) -> Bool
    ) async throws -> Stats {
        let deadline = ContinuousClock.now + timeout
        var last = "no answer"
        while true {
            if let stats = try? await stats() {
                if condition(stats) { return stats }
                last = "\(stats)"
            }
            guard process.isRunning else {
                throw ProcessEnded(
                    name: process.name, status: -1, output: process.standardOutput + process.standardError)
            }
            guard ContinuousClock.now < deadline else {
                throw TimedOutWaiting(what: "\(what) at shoal tracker (last stats: \(last))")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Polls the scrape of one torrent until `condition` holds (described by `what`) and returns it.
    @discardableResult
    public func waitForScrape(
        infoHashHex: String, _ what: String, timeout: Duration = .seconds(120), _ condition: (ScrapeCounts) -> Bool
    ) async throws -> ScrapeCounts {
        let deadline = ContinuousClock.now + timeout
        var last = "no answer"
        while true {
            do {
                let counts = try await scrape(infoHashHex: infoHashHex)
                if condition(counts) { return counts }
                last = "\(counts)"
            } catch {
                last = "\(error)"
            }
            guard process.isRunning else {
                throw ProcessEnded(
                    name: process.name, status: -1, output: process.standardOutput + process.standardError)
            }
            guard ContinuousClock.now < deadline else {
                throw TimedOutWaiting(what: "\(what) at shoal tracker (last scrape: \(last))")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Waits until the tracker counts at least `count` seeders of the torrent, so that a peer started next
    /// hears of them in its first announce.
    public func waitForSeeders(
        infoHashHex: String, atLeast count: Int, timeout: Duration = .seconds(120)
    )
        async throws
    {
        try await waitForScrape(infoHashHex: infoHashHex, "at least \(count) seeder(s)", timeout: timeout) {
            $0.complete >= count
        }
    }

    /// `%xx` for every byte of a 40-digit hex infohash (or peer id), as announce and scrape queries carry them.
    public static func percentEncoded(_ hex: String) -> String {
        stride(from: 0, to: hex.count, by: 2).map { offset -> String in
            let start = hex.index(hex.startIndex, offsetBy: offset)
            return "%" + hex[start..<hex.index(start, offsetBy: 2)]
        }.joined()
    }

    /// `/stats.json`: the tracker's figures (extra fields are ignored).
    public struct Stats: Decodable, Sendable, CustomStringConvertible {
        public var swarms: Int
        public var peers: Int
        public var seeders: Int
        public var leechers: Int
        public var announces: Int
        public var scrapes: Int
        public var completed: Int
        public var failures: Int
        public var udpConnects: Int
        /// UDP packets answered with silence: malformed, rate limited, or with a connection id not given
        /// to their source address.
        public var udpDropped: Int
        public var rateLimited: Int
        public var access: String
        public var interval: Int

        public var description: String {
            "swarms \(swarms), peers \(peers) (\(seeders) seeders, \(leechers) leechers), announces \(announces), "
                + "scrapes \(scrapes), completed \(completed), failures \(failures), UDP connects \(udpConnects), "
                + "UDP dropped \(udpDropped), rate limited \(rateLimited), access \(access)"
        }
    }

    /// One torrent's BEP 48 figures.
    public struct ScrapeCounts: Sendable, Equatable, CustomStringConvertible {
        public var complete: Int
        public var downloaded: Int
        public var incomplete: Int

        public init(complete: Int, downloaded: Int, incomplete: Int) {
            self.complete = complete
            self.downloaded = downloaded
            self.incomplete = incomplete
        }

        public var description: String { "complete \(complete), downloaded \(downloaded), incomplete \(incomplete)" }
    }
}

/// The tracker printed or answered something a test could not read.
public struct UnexpectedTrackerOutput: Error, CustomStringConvertible {
    public var output: String
    public var description: String { "unexpected output from shoal tracker: \(output.suffix(3000))" }
}
