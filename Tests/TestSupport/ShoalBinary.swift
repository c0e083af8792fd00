import Foundation

/// The `shoal` executable that `swift build` made beside the test bundle.
public enum ShoalBinary {
    /// `SHOAL_BIN` if set, else `shoal` in the build products folder that holds this test binary.
    public static func path() throws -> String {
        if let override = ProcessInfo.processInfo.environment["SHOAL_BIN"] { return override }
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var folder = testBinary.deletingLastPathComponent()
        // The test binary may sit inside a `.xctest` bundle folder.
        if folder.pathExtension == "xctest" { folder = folder.deletingLastPathComponent() }
        let candidate = folder.appendingPathComponent("shoal").path
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            throw MissingTool(program: "shoal (\(candidate))", installHint: "builds it with `swift build`")
        }
        return candidate
    }

    @discardableResult
    public static func run(
        _ arguments: [String], in directory: URL? = nil, timeout: TimeInterval = 120
    ) async throws
        -> ProcessResult
    {
        try await ProcessRunner.run(try path(), arguments, workingDirectory: directory, timeout: timeout)
    }
}
