import ArgumentParser
import MediaIngest

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print Shoal's version and the FFmpeg library versions it runs with."
    )

    func run() {
        let ffmpeg = FFmpegVersions.current
        print("shoal \(ShoalVersion.current)")
        print("libavformat \(ffmpeg.avformat)")
        print("libavcodec \(ffmpeg.avcodec)")
        print("libavutil \(ffmpeg.avutil)")
    }
}
