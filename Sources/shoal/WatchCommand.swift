import ArgumentParser
import DHTNode
import ShoalNode
import SwarmEngine
import TorrentModel

struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Stream a video torrent from its swarm to a browser or player, then keep seeding.",
        discussion: """
            Joins the swarm of TORRENT (a .torrent file, a magnet link or an infohash with --peer), serves it over \
            HTTP on 127.0.0.1 and prints two lines: `Watch: URL` (a player page with live figures) and `HLS: URL` \
            (the master playlist for mpv, VLC, ffplay or any HLS player). Pieces the player needs next are fetched \
            first (docs/streaming.md); the rest come rarest-first, so a watcher is a good seeder too. After \
            playback it keeps seeding until Ctrl-C.
            """
    )

    @Argument(help: "A .torrent file, a magnet link, or a 40-digit infohash (peers from --peer).")
    var source: String

    @Option(help: "What to open once the stream is served: browser, mpv, vlc, ffplay or none.")
    var player: PlayerChoice = .browser

    @Option(
        name: [.short, .customLong("output")],
        help: "Folder to save the video in (default: downloads/ of the data directory, as `shoal node`).")
    var output: String?

    @OptionGroup var location: DataDirectoryOption

    @Option(help: "Download limit in bytes per second, e.g. 500k or 2M (0: none).")
    var maxDownloadRate: TransferRate?

    @OptionGroup(title: "Streaming options") var streaming: StreamingOptions

    @OptionGroup var swarm: SwarmOptions

    func run() async throws {
        let magnet = try magnetLink()
        let folder = try output ?? location.resolve().downloadsPath
        try await PeerDiscovery.with(swarm) { discovery in
            let (metainfo, knownPeers) = try await loadMetainfo(magnet: magnet, dht: discovery.dht)
            print("infohash: \(metainfo.infoHash.hex)")
            print("saving to: \(folder)")
            var runner = SwarmRunner(
                metainfo: metainfo, saveFolder: folder, options: swarm, maximumDownloadRate: maxDownloadRate?.limit,
                goal: .download(keepSeeding: true), dataCheck: .recheckIfPresent)
            runner.streaming = StreamingSetup(options: streaming, player: player)
            runner.knownPeers = knownPeers
            try await runner.run(discovery: discovery)
        }
    }

    /// The magnet link `source` is or stands for (a bare infohash); nil for a .torrent file.
    private func magnetLink() throws(CLIError) -> MagnetLink? {
        var link = source
        if source.count == 40, let infoHash = InfoHash(source) {
            link = "magnet:?xt=urn:btih:\(infoHash.hex)"
        }
        guard link.lowercased().hasPrefix("magnet:") else { return nil }
        let magnet: MagnetLink
        do {
            magnet = try MagnetLink(parsing: link)
        } catch {
            throw CLIError.input(error.description)
        }
        return magnet
    }

    /// The torrent, and for a magnet link the peers found while its metadata came.
    private func loadMetainfo(
        magnet: MagnetLink?, dht: DHTNode?
    ) async throws(CLIError) -> (Metainfo, [(PeerAddress, PeerSource)]) {
        if let magnet { return try await MagnetResolver(magnet: magnet, options: swarm, dht: dht).resolve() }
        let bytes = try FileIO.readAll(source)
        do {
            return (try Metainfo(bytes: bytes), [])
        } catch {
            throw CLIError.input("\(source): \(error.description)")
        }
    }
}
