import Foundation
import TestSupport

/// The bundled samples and Debian's ffmpeg/ffprobe, which check what Shoal writes from the outside.
enum MediaTools {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("samples")

    static func sample(_ name: String) -> String { samples.appendingPathComponent(name).path }

    static func ffprobe() throws -> String { try ProcessRunner.which("ffprobe", installHint: "apt-get install ffmpeg") }
    static func ffmpeg() throws -> String { try ProcessRunner.which("ffmpeg", installHint: "apt-get install ffmpeg") }

    /// ffprobe's format duration of a file or playlist, in seconds.
    static func duration(of path: String) async throws -> Double {
        let result = try await ProcessRunner.run(
            try ffprobe(), ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path])
        guard result.exitCode == 0, let value = Double(result.standardOutput.trimmed) else {
            throw ToolFailure("ffprobe \(path): \(result.standardError)")
        }
        return value
    }

    /// The frame rate of the first video stream.
    static func frameRate(of path: String) async throws -> Double {
        let result = try await ProcessRunner.run(
            try ffprobe(),
            ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=r_frame_rate", "-of", "csv=p=0", path])
        // MPEG-TS adds program sections: the first line with a value is the stream's.
        let line = result.standardOutput.split(separator: "\n").first { !$0.trimmed.isEmpty && $0 != "," } ?? ""
        let parts = line.replacingOccurrences(of: ",", with: "").split(separator: "/").compactMap { Double($0) }
        guard parts.count == 2, parts[1] > 0 else { throw ToolFailure("ffprobe frame rate \(path): \(result)") }
        return parts[0] / parts[1]
    }

    /// Whether the first video frame of `path` is a key frame (`ffprobe -read_intervals %+#1`).
    static func firstVideoFrameIsKey(_ path: String) async throws -> Bool {
        let result = try await ProcessRunner.run(
            try ffprobe(),
            [
                "-v", "error", "-select_streams", "v:0", "-show_frames", "-read_intervals", "%+#1", "-show_entries",
                "frame=key_frame", "-of", "csv=p=0", path,
            ])
        guard result.exitCode == 0, let first = result.standardOutput.split(separator: "\n").first else {
            throw ToolFailure("ffprobe frames \(path): \(result.standardError)")
        }
        return first.hasPrefix("1")
    }

    /// What `ffmpeg -v error -i PATH -f null -` prints: nothing when everything decodes.
    static func decodeErrors(_ path: String) async throws -> String {
        let result = try await ProcessRunner.run(
            try ffmpeg(), ["-v", "error", "-i", path, "-f", "null", "-"], timeout: 300)
        return result.exitCode == 0 ? result.standardError.trimmed : "exit \(result.exitCode): \(result.standardError)"
    }

    /// Runs ffmpeg to make a test input; fails loudly.
    static func make(_ arguments: [String]) async throws {
        let result = try await ProcessRunner.run(try ffmpeg(), ["-v", "error", "-y"] + arguments, timeout: 300)
        guard result.exitCode == 0 else { throw ToolFailure("ffmpeg \(arguments): \(result.standardError)") }
    }
}

struct ToolFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension StringProtocol {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
