import Foundation

/// A process that runs beside a test (a seeder, a tracker): output goes to files, lines can be awaited,
/// and it is always ended — by `interrupt`/`stop` or, at the latest, when the value goes away.
public final class BackgroundProcess: @unchecked Sendable {
    public let name: String
    private let process: Process
    private let directory: TemporaryDirectory
    private let outURL: URL
    private let errURL: URL

    public init(
        _ executable: String, _ arguments: [String], name: String? = nil, workingDirectory: URL? = nil,
        environment: [String: String]? = nil
    ) throws {
        self.name = name ?? URL(fileURLWithPath: executable).lastPathComponent
        directory = try TemporaryDirectory(prefix: "shoal-process")
        outURL = directory.url.appendingPathComponent("stdout")
        errURL = directory.url.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        process.standardInput = FileHandle.nullDevice
        if let workingDirectory { process.currentDirectoryURL = workingDirectory }
        if let environment { process.environment = environment }
        try process.run()
    }

    deinit { stop() }

    public var standardOutput: String { (try? String(contentsOf: outURL, encoding: .utf8)) ?? "" }
    public var standardError: String { (try? String(contentsOf: errURL, encoding: .utf8)) ?? "" }
    public var isRunning: Bool { process.isRunning }
    public var processIdentifier: Int32 { process.processIdentifier }

    /// Bytes the process has written with write(2) and friends, sockets included (`wchar` of /proc/PID/io).
    public var bytesWritten: Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/io", encoding: .utf8) else {
            return nil
        }
        for line in text.split(separator: "\n") where line.hasPrefix("wchar:") {
            return Int(line.dropFirst("wchar:".count).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    /// Waits for a line of stdout that starts with `prefix` and returns the rest of it.
    public func waitForLine(startingWith prefix: String, timeout: Duration = .seconds(60)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while true {
            for line in standardOutput.split(separator: "\n") where line.hasPrefix(prefix) {
                return String(line.dropFirst(prefix.count))
            }
            guard process.isRunning else {
                throw ProcessEnded(
                    name: name, status: process.terminationStatus, output: standardOutput + standardError)
            }
            guard ContinuousClock.now < deadline else {
                throw TimedOutWaiting(what: "'\(prefix)' from \(name); stderr: \(standardError.suffix(2000))")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Waits for the process to exit by itself and returns its status.
    public func waitForExit(timeout: Duration = .seconds(120)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                stop()
                throw TimedOutWaiting(what: "\(name) to exit; stderr: \(standardError.suffix(2000))")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return process.terminationStatus
    }

    /// SIGINT, as Ctrl-C would send; returns the exit status once the process ended.
    public func interrupt(timeout: Duration = .seconds(30)) async throws -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        kill(process.processIdentifier, SIGINT)
        return try await waitForExit(timeout: timeout)
    }

    /// SIGKILL, then reap.
    public func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// A background process ended while a test waited for it.
public struct ProcessEnded: Error, CustomStringConvertible {
    public var name: String
    public var status: Int32
    public var output: String
    public var description: String { "\(name) ended with status \(status): \(output.suffix(3000))" }
}

/// Thrown when a condition a test waits for does not come true in time.
public struct TimedOutWaiting: Error, CustomStringConvertible {
    public let what: String
    public init(what: String) { self.what = what }
    public var description: String { "timed out waiting for \(what)" }
}
