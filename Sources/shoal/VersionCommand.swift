import ArgumentParser
import MediaIngest

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print Shoal's version and the FFmpeg library versions it runs with."
    )

    func run() throws {
        print("shoal \(ShoalVersion.current)")
        let ffmpeg: FFmpegVersions
        do {
            ffmpeg = try FFmpegVersions.current()
        } catch {
            throw CLIError.input(error.description)
        }
        print("libavformat \(ffmpeg.avformat)")
        print("libavcodec \(ffmpeg.avcodec)")
        print("libavutil \(ffmpeg.avutil)")
    }
}
