import ArgumentParser
import DHTNode
import SwarmEngine
import TorrentModel

struct DownloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download",
        abstract: "Download a torrent from its swarm.",
        discussion: """
            Exits 0 once every piece is verified and written (with --seed, keeps seeding until Ctrl-C). \
            Data already in DIR is checked first and kept. Peers come from the torrent's trackers and from \
            --peer. Ctrl-C stops cleanly: trackers hear 'stopped', files are flushed; exit status 130.
            """
    )

    @Argument(help: "A .torrent file or a magnet link.")
    var source: String

    @Option(name: [.short, .customLong("output")], help: "Folder to download into.")
    var output: String = "."

    @Flag(help: "Keep seeding after the download completes, until stopped.")
    var seed = false

    @Flag(help: "Hash the data in the output folder before starting, even if none seems to be there.")
    var recheck = false

    @Option(help: "Download limit in bytes per second, e.g. 500k or 2M (0: none).")
    var maxDownloadRate: TransferRate?

    @OptionGroup var swarm: SwarmOptions

    func run() async throws {
        let loaded = try load()
        try await PeerDiscovery.with(swarm) { discovery in
            let metainfo: Metainfo
            var knownPeers: [(PeerAddress, PeerSource)] = []
            switch loaded {
            case .torrent(let file): metainfo = file
            case .magnet(let magnet):
                (metainfo, knownPeers) = try await MagnetResolver(
                    magnet: magnet, options: swarm, dht: discovery.dht
                ).resolve()
            }
            print("infohash: \(metainfo.infoHash.hex)")
            print("saving to: \(output)")
            var runner = SwarmRunner(
                metainfo: metainfo, saveFolder: output, options: swarm, maximumDownloadRate: maxDownloadRate?.limit,
                goal: .download(keepSeeding: seed), dataCheck: recheck ? .recheck : .recheckIfPresent)
            runner.knownPeers = knownPeers
            try await runner.run(discovery: discovery)
        }
    }

    private enum Source {
        case torrent(Metainfo)
        case magnet(MagnetLink)
    }

    /// The .torrent file read and checked, or the magnet link parsed: bad input fails before any socket opens.
    private func load() throws(CLIError) -> Source {
        if source.lowercased().hasPrefix("magnet:") {
            do {
                return .magnet(try MagnetLink(parsing: source))
            } catch {
                throw CLIError.input(error.description)
            }
        }
        let bytes = try FileIO.readAll(source)
        do {
            return .torrent(try Metainfo(bytes: bytes))
        } catch {
            throw CLIError.input("\(source): \(error.description)")
        }
    }
}
