/// A failure the CLI reports as one line on stderr and an exit code.
struct CLIError: Error {
    /// Bad input: a file or link that cannot be used.
    static let inputExitCode: Int32 = 1
    /// Bad usage: options or arguments that make no sense.
    static let usageExitCode: Int32 = 2

    var message: String
    var exitCode: Int32

    static func input(_ message: String) -> CLIError { CLIError(message: message, exitCode: inputExitCode) }
    static func usage(_ message: String) -> CLIError { CLIError(message: message, exitCode: usageExitCode) }
}
