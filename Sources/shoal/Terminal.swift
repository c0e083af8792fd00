import Glibc

/// Writing to the terminal: errors and progress go to stderr, results to stdout.
enum Terminal {
    static func printError(_ message: String) {
        writeToStandardError("shoal: error: \(message)\n")
    }

    static func writeToStandardError(_ text: String) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(2, raw.baseAddress! + offset, raw.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }

    static var standardErrorIsTerminal: Bool { isatty(2) == 1 }
}
