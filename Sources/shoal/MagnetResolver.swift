import Logging
import NIOPosix
import PeerWire
import SwarmEngine
import TorrentModel
import TrackerClient
import TrackerProtocol

/// Turns a magnet link into a torrent: asks the link's peers (`x.pe`), the `--peer`s and the peers
/// its trackers name for the metadata (BEP 9), and adds the link's trackers and web seeds to it.
struct MagnetResolver {
    let magnet: MagnetLink
    let options: SwarmOptions

    func resolve() async throws(CLIError) -> Metainfo {
        var logger = Logger(label: "shoal")
        logger.logLevel = options.verbose ? .info : .warning
        var generator = SystemRandomNumberGenerator()
        let peerID = PeerID.generate(using: &generator)
        let fetcher = MetadataFetcher(infoHash: magnet.infoHash, peerID: peerID, logger: logger)
        if !options.quiet { Terminal.writeToStandardError("fetching metadata for \(magnet.infoHash.hex)\n") }

        let announcer = try makeAnnouncer(peerID: peerID, logger: logger, generator: &generator)
        let (peers, sink) = AsyncStream.makeStream(of: PeerAddress.self)
        for peer in magnet.peers + options.peers.map(\.address) { sink.yield(peer) }
        if announcer == nil { sink.finish() }

        let result = await withTaskGroup(of: Void.self) { group -> Result<Metainfo, MetadataFetcher.FetchError> in
            if let announcer {
                group.addTask {
                    await announcer.run(
                        progress: { AnnounceProgress(uploaded: 0, downloaded: 0, left: Self.unknownLeft) },
                        onPeers: { found in for peer in found { sink.yield(peer.peerAddress) } })
                }
            }
            let result: Result<Metainfo, MetadataFetcher.FetchError>
            do throws(MetadataFetcher.FetchError) {
                result = .success(try await fetcher.fetch(from: peers))
            } catch {
                result = .failure(error)
            }
            announcer?.stop()
            sink.finish()
            await group.waitForAll()
            return result
        }
        switch result {
        case .success(var metainfo):
            metainfo.trackerTiers = magnet.trackers.isEmpty ? metainfo.trackerTiers : magnet.trackers.map { [$0] }
            metainfo.webSeeds = magnet.webSeeds
            if !options.quiet { Terminal.writeToStandardError("metadata: \(metainfo.name)\n") }
            return metainfo
        case .failure(let error):
            throw CLIError.input("\(magnet.infoHash.hex): \(error.description)")
        }
    }

    /// What to announce as `left` before the size is known (libtorrent announces 16 KiB too).
    static let unknownLeft: Int64 = 16 * 1024

    private func makeAnnouncer(
        peerID: PeerID, logger: Logger, generator: inout SystemRandomNumberGenerator
    ) throws(CLIError) -> Announcer<ContinuousClock>? {
        guard !magnet.trackers.isEmpty else { return nil }
        let factory = TrackerFactory(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: logger)
        let (list, _) = factory.makeTierList(tiers: magnet.trackers.map { [$0] }, shuffledWith: &generator)
        guard !list.elements.isEmpty else { return nil }
        // Peers answer to whatever port we listen on later; a port is required here, so announce ours.
        let port = UInt16(clamping: options.port == 0 ? 6881 : options.port)
        do {
            return try Announcer(
                infoHash: magnet.infoHash, peerID: peerID.bytes, port: port,
                key: UInt32.random(in: 0...UInt32.max, using: &generator), trackers: list, clock: ContinuousClock(),
                logger: logger)
        } catch {
            throw CLIError.input("cannot announce \(magnet.infoHash.hex): \(error)")
        }
    }
}
