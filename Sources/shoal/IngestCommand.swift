import ArgumentParser
import MediaIngest

struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Turn a video file into HLS segments and a video torrent.",
        discussion: """
            Remuxes (or, when needed, re-encodes) VIDEO into CMAF segments cut at key frames with HLS \
            playlists in DIR/NAME/, and writes DIR/NAME.torrent. Prints the infohash and magnet link. \
            Running it again on the same file with the same options reuses what exists. \
            Format: docs/video-torrent.md.
            """
    )

    @Argument(help: "The video file (MP4, MKV, WebM, MPEG-TS, MOV, AVI, FLV, ...).")
    var video: String

    @Option(name: [.customShort("o"), .customLong("output")], help: "The folder for NAME/ and NAME.torrent.")
    var output: String = "."

    @Option(name: .customLong("tracker"), help: "Announce URL; repeat for more tiers.")
    var trackers: [String] = []

    @OptionGroup var options: VideoOptions

    @Flag(name: .shortAndLong, help: "No progress on stderr.")
    var quiet = false

    func validate() throws {
        try TrackerArguments.validate(trackers)
    }

    func run() async throws {
        let result = try await IngestRunner.ingest(
            options.request(input: video, outputFolder: output, trackers: trackers), showProgress: !quiet)
        IngestRunner.printSummary(result)
    }
}
