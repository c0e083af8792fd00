import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Debian's opentracker on 127.0.0.1, HTTP and UDP on one port, accepting only whitelisted infohashes.
/// Missing opentracker fails the test (it never skips): `apt-get install -y opentracker`.
public final class OpenTracker: @unchecked Sendable {
    public let port: Int
    private let process: Process
    private let directory: TemporaryDirectory
    private let log: URL

    public var httpURL: String { "http://127.0.0.1:\(port)/announce" }
    public var udpURL: String { "udp://127.0.0.1:\(port)/announce" }

    private init(port: Int, process: Process, directory: TemporaryDirectory, log: URL) {
        self.port = port
        self.process = process
        self.directory = directory
        self.log = log
    }

    /// Starts opentracker and waits until it accepts the first whitelisted infohash (40 hex digits each).
    public static func start(whitelistHex whitelist: [String]) async throws -> OpenTracker {
        precondition(!whitelist.isEmpty && whitelist.allSatisfy { $0.count == 40 }, "infohashes in hex")
        let executable = try ProcessRunner.which(
            "opentracker", installHint: "opentracker (apt-get install -y opentracker)")
        let directory = try TemporaryDirectory(prefix: "shoal-opentracker")
        // Run as root it changes root into `-d` and becomes `nobody`, who must be able to read the whitelist.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
        let whitelistFile = try directory.write(Data(whitelist.map { $0 + "\n" }.joined().utf8), to: "whitelist.txt")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: whitelistFile.path)
        let log = directory.url.appendingPathComponent("opentracker.log")

        var lastError: (any Error)?
        for _ in 0..<5 {
            let port = try freePort()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = [
                "-i", "127.0.0.1", "-p", String(port), "-P", String(port), "-d", directory.path, "-w",
                "/whitelist.txt",
            ]
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            let tracker = OpenTracker(port: port, process: process, directory: directory, log: log)
            do {
                try await tracker.waitUntilReady(probing: whitelist[0])
                return tracker
            } catch {
                lastError = error
                tracker.stop()
            }
        }
        throw lastError ?? TimedOutWaiting(what: "opentracker to start")
    }

    /// SIGKILL: opentracker started from the test runner does not end on SIGTERM.
    public func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { stop() }

    /// Ready means a whitelisted infohash is accepted: opentracker loads its whitelist in a thread
    /// of its own, after it starts listening. The probe is a `stopped` announce, which adds no peer.
    private func waitUntilReady(probing infoHashHex: String) async throws {
        let infoHash = Self.percentEncoded(infoHashHex)
        let query =
            "info_hash=\(infoHash)&peer_id=-SH0100-readinessXYZ&port=1&uploaded=0&downloaded=0&left=0"
            + "&event=stopped&compact=1"
        let url = URL(string: "\(httpURL)?\(query)")!
        let deadline = ContinuousClock.now + .seconds(5)
        var last = "no answer"
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                throw OpenTrackerFailed(output: output)
            }
            do {
                let (body, _) = try await URLSession.shared.data(from: url)
                let text = String(decoding: body, as: UTF8.self)
                if text.hasPrefix("d") && !text.contains("failure reason") { return }
                last = text
            } catch {
                last = "\(error)"
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TimedOutWaiting(what: "opentracker on port \(port) (last: \(last))")
    }

    /// Waits until the tracker counts at least `count` seeders of the torrent (scrape, BEP 48), so a
    /// peer that starts next is sure to hear of them.
    public func waitForSeeders(infoHashHex: String, atLeast count: Int, timeout: Duration = .seconds(60)) async throws {
        try await waitForSeeders(infoHashHex: infoHashHex, "at least \(count)", timeout: timeout) { $0 >= count }
    }

    /// Waits until the tracker's seeder count of the torrent satisfies `condition` (described by `what`).
    public func waitForSeeders(
        infoHashHex: String, _ what: String, timeout: Duration = .seconds(60), _ condition: (Int) -> Bool
    ) async throws {
        let url = URL(string: "http://127.0.0.1:\(port)/scrape?info_hash=\(Self.percentEncoded(infoHashHex))")!
        let deadline = ContinuousClock.now + timeout
        var last = "no answer"
        while ContinuousClock.now < deadline {
            if let (body, _) = try? await URLSession.shared.data(from: url) {
                last = String(decoding: body, as: UTF8.self)
                if let match = last.firstMatch(of: /8:completei(\d+)e/), let seeders = Int(match.1), condition(seeders)
                {
                    return
                }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TimedOutWaiting(what: "\(what) seeder(s) at opentracker (last scrape: \(last))")
    }

    static func percentEncoded(_ hex: String) -> String {
        stride(from: 0, to: hex.count, by: 2).map { offset -> String in
            let start = hex.index(hex.startIndex, offsetBy: offset)
            return "%" + hex[start..<hex.index(start, offsetBy: 2)]
        }.joined()
    }

    /// A port free for both TCP and UDP on 127.0.0.1 a moment ago.
    private static func freePort() throws -> Int {
        for _ in 0..<20 {
            let port = try FreePort.tcp()
            if FreePort.isUDPFree(port) { return port }
        }
        throw TimedOutWaiting(what: "a port free for TCP and UDP")
    }
}

public struct OpenTrackerFailed: Error, CustomStringConvertible {
    public var output: String
    public var description: String { "opentracker exited: \(output)" }
}
