import Foundation

/// What a finished child process left behind.
public struct ProcessResult: Sendable {
    public var exitCode: Int32
    public var standardOutput: String
    public var standardError: String
    /// True when the process was killed for running past its time limit.
    public var timedOut: Bool

    public var stderrLines: [Substring] { standardError.split(separator: "\n") }
}

/// Runs programs for tests, with a time limit so that a hang fails the test instead of stalling CI.
public enum ProcessRunner {
    public static let defaultTimeout: TimeInterval = 120

    /// Runs the program to its end on a thread of its own (`onOwnThread`), not on one of the test's.
    @discardableResult
    public static func run(
        _ executable: String, _ arguments: [String], input: Data? = nil, workingDirectory: URL? = nil,
        timeout: TimeInterval = defaultTimeout
    ) async throws -> ProcessResult {
        try await onOwnThread {
            try runBlocking(
                executable, arguments, input: input, workingDirectory: workingDirectory, timeout: timeout)
        }
    }

    /// Runs the program to its end on the calling thread: only for short commands where no task can wait
    /// (an initializer or a deinit).
    @discardableResult
    public static func runBlocking(
        _ executable: String, _ arguments: [String], input: Data? = nil, workingDirectory: URL? = nil,
        timeout: TimeInterval = defaultTimeout
    ) throws -> ProcessResult {
        let scratch = try TemporaryDirectory()
        let outURL = scratch.url.appendingPathComponent("stdout")
        let errURL = scratch.url.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        defer {
            try? outHandle.close()
            try? errHandle.close()
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = outHandle
        process.standardError = errHandle
        if let workingDirectory { process.currentDirectoryURL = workingDirectory }
        let inputPipe = Pipe()
        process.standardInput = inputPipe
        try process.run()
        if let input { inputPipe.fileHandleForWriting.write(input) }
        try? inputPipe.fileHandleForWriting.close()

        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while process.isRunning {
            if Date() > deadline {
                timedOut = true
                process.terminate()
                usleep(200_000)
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                break
            }
            usleep(5_000)
        }
        process.waitUntilExit()
        return ProcessResult(
            exitCode: process.terminationStatus,
            standardOutput: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
            standardError: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "",
            timedOut: timedOut)
    }

    /// The absolute path of a program on PATH, or an error telling how to install it.
    public static func which(_ program: String, installHint: String) throws -> String {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for directory in paths + ["/usr/bin", "/usr/local/bin"] {
            let candidate = "\(directory)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw MissingTool(program: program, installHint: installHint)
    }
}

/// A test needed a tool that is not installed. Tests fail with this; they never skip.
public struct MissingTool: Error, CustomStringConvertible {
    public var program: String
    public var installHint: String

    public init(program: String, installHint: String) {
        self.program = program
        self.installHint = installHint
    }

    public var description: String {
        "\(program) is not installed: run `bash scripts/test.sh` (it installs \(installHint)) and try again"
    }
}
