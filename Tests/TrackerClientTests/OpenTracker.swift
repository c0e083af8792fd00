import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import TestSupport
import TorrentModel
import TrackerClient

/// Debian's opentracker on 127.0.0.1, HTTP and UDP on one port, accepting only whitelisted infohashes.
/// Missing opentracker fails the test (it never skips): `apt-get install -y opentracker`.
final class OpenTracker: @unchecked Sendable {
    let port: Int
    private let process: Process
    private let directory: TemporaryDirectory
    private let log: URL

    var httpURL: String { "http://127.0.0.1:\(port)/announce" }
    var udpURL: String { "udp://127.0.0.1:\(port)/announce" }

    private init(port: Int, process: Process, directory: TemporaryDirectory, log: URL) {
        self.port = port
        self.process = process
        self.directory = directory
        self.log = log
    }

    /// Starts opentracker and waits until it accepts the first whitelisted infohash.
    static func start(whitelist: [InfoHash]) async throws -> OpenTracker {
        let executable = try ProcessRunner.which(
            "opentracker", installHint: "opentracker (apt-get install -y opentracker)")
        let directory = try TemporaryDirectory(prefix: "shoal-opentracker")
        // Run as root it changes root into `-d` and becomes `nobody`, who must be able to read the whitelist.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
        let whitelistFile = try directory.write(
            Data(whitelist.map { $0.hex + "\n" }.joined().utf8), to: "whitelist.txt")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: whitelistFile.path)
        let log = directory.url.appendingPathComponent("opentracker.log")

        var lastError: (any Error)?
        for _ in 0..<5 {
            let port = try await freePort()
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
                try await tracker.waitUntilReady(probing: whitelist.first!)
                return tracker
            } catch {
                lastError = error
                tracker.stop()
            }
        }
        throw lastError ?? TimedOutWaiting(what: "opentracker to start")
    }

    /// SIGKILL: opentracker started from the test runner does not end on SIGTERM.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { stop() }

    /// Ready means a whitelisted infohash is accepted: opentracker loads its whitelist in a thread
    /// of its own, after it starts listening. The probe is a `stopped` announce, which adds no peer.
    private func waitUntilReady(probing infoHash: InfoHash) async throws {
        let probe = HTTPTracker(url: httpURL, client: HTTPClient.shared, logger: Fixtures.logger)
        let request = try Fixtures.request(
            infoHash: infoHash, peerID: Array("-SH0100-readinessXYZ".utf8), port: 1, event: .stopped)
        let deadline = ContinuousClock.now + .seconds(5)
        var lastError: TrackerClientError?
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                throw OpenTrackerFailed(output: output)
            }
            do throws(TrackerClientError) {
                _ = try await probe.announce(request)
                return
            } catch {
                lastError = error
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TimedOutWaiting(
            what: "opentracker on port \(port) (last: \(lastError.map(String.init(describing:)) ?? "none"))")
    }

    /// A port free for both TCP and UDP on 127.0.0.1 a moment ago.
    private static func freePort() async throws -> Int {
        let group = MultiThreadedEventLoopGroup.singleton
        let tcp = try await ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        let port = tcp.localAddress!.port!
        let udp = try? await DatagramBootstrap(group: group).bind(host: "127.0.0.1", port: port).get()
        try await tcp.close()
        try await udp?.close()
        return port
    }
}

struct OpenTrackerFailed: Error, CustomStringConvertible {
    let output: String
    var description: String { "opentracker exited: \(output)" }
}
