import ArgumentParser
import Glibc
import MediaIngest
import StreamingEngine
import TorrentCreation
import TorrentModel

struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Seed a video, a file, a folder or an existing torrent until stopped.",
        discussion: """
            Given a video file (by its extension: .mp4, .mkv, .webm, .ts, .mov, .avi, .flv, ...), ingests it \
            first as `shoal ingest` does (into -o DIR, default .) and seeds the video torrent; --as-is seeds \
            the file unchanged instead. Given another file or a folder, makes its torrent first (written to \
            -o, default ./<name>.torrent). Either way prints the infohash, the .torrent path and the magnet \
            link. Given a .torrent, checks its data in --data DIR first. Ctrl-C stops cleanly: trackers hear \
            'stopped'.
            """
    )

    @Argument(help: "The video, file or folder to share, or a .torrent whose data is in --data.")
    var path: String

    @Flag(help: "Seed a video file unchanged, as a plain one-file torrent, instead of ingesting it.")
    var asIs = false

    @OptionGroup(title: "Video options") var video: VideoOptions

    @Option(help: "For a .torrent: the folder that holds its data.")
    var data: String = "."

    @Option(name: .customLong("tracker"), help: "Announce URL for a new torrent; repeat for more tiers.")
    var trackers: [String] = []

    @Option(
        name: [.customShort("o"), .customLong("output")],
        help:
            "Where to write a new torrent (default: ./<name>.torrent); for a video, the folder for NAME/ and NAME.torrent."
    )
    var torrentOutput: String?

    @OptionGroup(title: "Streaming options (video torrents)") var streaming: StreamingOptions

    @OptionGroup var swarm: SwarmOptions

    func validate() throws {
        try TrackerArguments.validate(trackers)
    }

    func run() async throws {
        if let metainfo = try existingTorrent() {
            var runner = SwarmRunner(
                metainfo: metainfo, saveFolder: data, options: swarm, maximumDownloadRate: nil, goal: .seed,
                dataCheck: .required)
            // A video torrent is served over HTTP too.
            if StreamingTorrent.isVideoTorrent(metainfo) {
                runner.streaming = StreamingSetup(options: streaming, player: .none)
            }
            print("infohash: \(metainfo.infoHash.hex)")
            print("magnet: \(metainfo.magnet.uri)")
            try await PeerDiscovery.with(swarm) { discovery in try await runner.run(discovery: discovery) }
            return
        }
        if !asIs && VideoFiles.isVideo(path) {
            try await seedVideo()
            return
        }
        let metainfo = try makeTorrent()
        let runner = SwarmRunner(
            metainfo: metainfo, saveFolder: Self.parentFolder(of: path), options: swarm, maximumDownloadRate: nil,
            goal: .seed, dataCheck: .trusted)
        try await PeerDiscovery.with(swarm) { discovery in try await runner.run(discovery: discovery) }
    }

    /// Ingests the video (or reuses an earlier ingest) and seeds the video torrent.
    private func seedVideo() async throws {
        let folder = torrentOutput ?? "."
        let result = try await IngestRunner.ingest(
            video.request(input: path, outputFolder: folder, trackers: trackers), showProgress: !swarm.quiet)
        IngestRunner.printSummary(result)
        // A reused folder may have changed since it was made: check it, as for any existing torrent.
        var runner = SwarmRunner(
            metainfo: result.metainfo, saveFolder: folder, options: swarm, maximumDownloadRate: nil, goal: .seed,
            dataCheck: result.reused ? .required : .trusted)
        runner.streaming = StreamingSetup(options: streaming, player: .none)
        try await PeerDiscovery.with(swarm) { discovery in try await runner.run(discovery: discovery) }
    }

    /// The torrent when `path` is a .torrent file; nil when it is content to share.
    private func existingTorrent() throws(CLIError) -> Metainfo? {
        var info = stat()
        guard path.lowercased().hasSuffix(".torrent"), stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG
        else { return nil }
        let bytes = try FileIO.readAll(path)
        do {
            return try Metainfo(bytes: bytes)
        } catch {
            throw CLIError.input("\(path): \(error.description)")
        }
    }

    private func makeTorrent() throws -> Metainfo {
        let options = TorrentOptions(
            trackerTiers: TrackerArguments.tiers(trackers), createdBy: ShoalVersion.createdBy,
            creationDate: Int64(time(nil)))
        let creator = TorrentCreator(
            CreationRequest(
                path: path, pieceLength: nil, alignFiles: false, options: options,
                threadCount: CreationRequest.defaultThreadCount))
        do {
            let content = try creator.scan()
            let destination = torrentOutput ?? "\(content.name).torrent"
            let created = try HashingProgressDisplay.create(content, with: creator, enabled: !swarm.quiet)
            try writeTorrent(created, to: destination)
            print("torrent: \(destination)")
            print("infohash: \(created.metainfo.infoHash.hex)")
            print("magnet: \(created.metainfo.magnet.uri)")
            return created.metainfo
        } catch let error as CreationError {
            throw CLIError.input(error.description)
        }
    }

    /// Writes the torrent, keeping an existing file at `destination` only if it is the same torrent.
    private func writeTorrent(_ created: CreatedTorrent, to destination: String) throws(CLIError) {
        if access(destination, F_OK) == 0 {
            let existing = try? Metainfo(bytes: FileIO.readAll(destination))
            guard existing?.infoHash == created.metainfo.infoHash else {
                throw CLIError.input("\(destination): exists and is another torrent (use -o FILE)")
            }
            return
        }
        try FileIO.writeAtomically(created.bytes, to: destination, replace: false)
    }

    /// The folder the torrent's name lives in: the torrent's save folder.
    static func parentFolder(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }
}
