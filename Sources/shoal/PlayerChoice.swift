import ArgumentParser
import Foundation

/// `--player`: what `shoal watch` opens once the stream is served.
enum PlayerChoice: String, ExpressibleByArgument, CaseIterable, Sendable {
    case browser, mpv, vlc, ffplay, none

    /// Commands tried in order, each with the arguments before the URL.
    var candidates: [(command: String, arguments: [String])] {
        switch self {
        case .browser:
            return [
                ("xdg-open", []), ("sensible-browser", []), ("chromium", []), ("google-chrome", []),
                ("firefox", []),
            ]
        case .mpv: return [("mpv", [])]
        case .vlc: return [("vlc", [])]
        case .ffplay: return [("ffplay", ["-autoexit", "-loglevel", "error"])]
        case .none: return []
        }
    }

    /// Whether the player is given the page (a browser) or the playlist.
    var opensPage: Bool { self == .browser }
}

/// Starts the chosen player on a URL, detached from the terminal's input; says clearly when none is installed.
enum PlayerLauncher {
    static func launch(_ choice: PlayerChoice, url: String) {
        guard choice != .none else { return }
        for candidate in choice.candidates {
            guard let path = executablePath(candidate.command) else { continue }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = candidate.arguments + [url]
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            do {
                try process.run()
                Terminal.writeToStandardError("opened \(candidate.command) on \(url)\n")
            } catch {
                Terminal.writeToStandardError("shoal: cannot start \(candidate.command): \(error)\n")
            }
            return
        }
        let names = choice.candidates.map(\.command).joined(separator: ", ")
        Terminal.writeToStandardError(
            "shoal: no \(choice.rawValue) player found (looked for \(names) on PATH); open the URL above yourself\n")
    }

    /// The command's path on `PATH`, if it is there and executable.
    static func executablePath(_ command: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = "\(folder)/\(command)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
