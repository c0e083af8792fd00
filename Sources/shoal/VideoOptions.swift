import ArgumentParser
import MediaIngest

/// How a video file becomes a video torrent: options shared by `shoal ingest` and `shoal seed VIDEO`.
struct VideoOptions: ParsableArguments {
    @Option(help: "Target segment length in seconds; segments are cut at key frames near multiples of it.")
    var segmentDuration: Double = IngestRequest.defaultSegmentDuration

    @Flag(
        help:
            "Make the first two segments half as long, so players start sooner (needs a swarm well above the bit rate)."
    )
    var fastStart = false

    @Option(help: "Re-encode: auto (only what HLS players cannot play), always, or never.")
    var transcode: TranscodeMode = .auto

    @Option(help: "The audio stream to keep, counting audio streams from 0 (default: the file's default one).")
    var audioTrack: Int?

    @Option(help: "Name of the video folder and torrent (default: the file name without its extension).")
    var name: String?

    @Flag(help: "Replace an earlier output made from another file or with other options.")
    var force = false

    func validate() throws {
        guard IngestRequest.segmentDurationRange.contains(segmentDuration) else {
            let range = IngestRequest.segmentDurationRange
            throw ValidationError(
                "--segment-duration must be from \(Int(range.lowerBound)) to \(Int(range.upperBound)) seconds")
        }
        if let audioTrack, audioTrack < 0 { throw ValidationError("--audio-track counts from 0") }
        if let name, name.isEmpty || name.contains("/") || name == "." || name == ".." || name.hasPrefix(".") {
            throw ValidationError("--name must be a plain file name (no '/', not starting with '.')")
        }
    }

    func request(input: String, outputFolder: String, trackers: [String]) -> IngestRequest {
        IngestRequest(
            input: input, outputFolder: outputFolder, name: name, segmentDuration: segmentDuration,
            fastStart: fastStart, transcode: transcode, audioTrack: audioTrack,
            trackerTiers: TrackerArguments.tiers(trackers), force: force,
            createdBy: ShoalVersion.createdBy)
    }
}

extension TranscodeMode: ExpressibleByArgument {}
