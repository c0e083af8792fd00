import ArgumentParser
import Glibc
import TorrentCreation
import TorrentModel

struct CreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Make a .torrent from a file or folder.",
        discussion: """
            The infohash depends only on the content and the options that go into 'info' (piece length, \
            --align, --private): the same bytes give the same infohash on any machine. Files of a folder \
            go in sorted by path (UTF-8 bytes, component by component).
            """
    )

    @Argument(help: "The file or folder to share.")
    var path: String

    @Option(name: [.short, .long], help: "Where to write the torrent (default: ./<name>.torrent).")
    var output: String?

    @Option(name: .customLong("tracker"), help: "Announce URL; repeat for more tiers, comma-separate within a tier.")
    var trackers: [String] = []

    @Option(name: .customLong("webseed"), help: "Web seed URL (BEP 19); repeatable.")
    var webSeeds: [String] = []

    @Option(help: "Piece length in bytes, or with K/M suffix; a power of two from 16K. Default: automatic.")
    var pieceLength: String?

    @Flag(help: "Mark the torrent private (BEP 27): peers only from its trackers.")
    var `private` = false

    @Option(help: "A comment stored in the torrent.")
    var comment: String?

    @Flag(help: "Align every file to a piece boundary with BEP 47 pad files.")
    var align = false

    @Option(help: "Hashing threads (default: one per core).")
    var threads: Int = CreationRequest.defaultThreadCount

    @Flag(help: "Leave out the creation date, so the .torrent file itself is byte-for-byte reproducible.")
    var noCreationDate = false

    @Flag(help: "Replace the output file if it exists.")
    var force = false

    @Flag(name: [.short, .long], help: "Print no progress.")
    var quiet = false

    func validate() throws {
        guard threads >= 1 && threads <= 1024 else { throw ValidationError("--threads must be from 1 to 1024") }
        if let pieceLength {
            guard let bytes = ByteCount.parse(pieceLength), PieceLengthPolicy.isAcceptable(bytes) else {
                throw ValidationError(
                    "--piece-length '\(pieceLength)' must be a power of two from 16K to "
                        + "\(TorrentLimits.maximumPieceLength / (1024 * 1024))M")
            }
        }
        try TrackerArguments.validate(trackers)
        for url in webSeeds where !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw ValidationError("--webseed '\(url)' is not an http:// or https:// URL")
        }
    }

    private var trackerTiers: [[String]] { TrackerArguments.tiers(trackers) }

    func run() throws {
        let options = TorrentOptions(
            trackerTiers: trackerTiers, webSeeds: webSeeds, isPrivate: `private`, comment: comment,
            createdBy: ShoalVersion.createdBy, creationDate: noCreationDate ? nil : Int64(time(nil)))
        let creator = TorrentCreator(
            CreationRequest(
                path: path, pieceLength: pieceLength.flatMap(ByteCount.parse), alignFiles: align, options: options,
                threadCount: threads))

        let created: CreatedTorrent
        do {
            let content = try creator.scan()
            let destination = output ?? "\(content.name).torrent"
            if !force && access(destination, F_OK) == 0 {
                throw CLIError.input("\(destination): already exists (use --force to replace it)")
            }
            created = try HashingProgressDisplay.create(content, with: creator, enabled: !quiet)
            try FileIO.writeAtomically(created.bytes, to: destination, replace: force)
            let metainfo = created.metainfo
            print(
                "created \(destination): \(metainfo.pieceCount) pieces of \(ByteCount.format(Int64(metainfo.pieceLength))), "
                    + "\(ByteCount.format(metainfo.totalLength)) in \(metainfo.dataFiles.count) file"
                    + (metainfo.dataFiles.count == 1 ? "" : "s"))
            print("infohash: \(metainfo.infoHash.hex)")
            print("magnet: \(metainfo.magnet.uri)")
        } catch let error as CreationError {
            throw CLIError.input(error.description)
        }
    }
}
