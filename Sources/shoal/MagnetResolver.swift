import Logging
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
        let logger = options.logger
        var generator = SystemRandomNumberGenerator()
        let peerID = PeerID.generate(using: &generator)
        let fetcher = MetadataFetcher(infoHash: magnet.infoHash, peerID: peerID, logger: logger)
        if !options.quiet { Terminal.writeToStandardError("fetching metadata for \(magnet.infoHash.hex)\n") }

        // Peers answer to whatever port we listen on later; a port is required here, so announce ours.
        let announcer = try TrackerAnnouncer.make(
            infoHash: magnet.infoHash, name: magnet.infoHash.hex, tiers: magnet.trackers.map { [$0] }, peerID: peerID,
            port: UInt16(clamping: options.port == 0 ? 6881 : options.port), logger: logger, generator: &generator)
        let (peers, sink) = AsyncStream.makeStream(of: PeerAddress.self)
        for peer in magnet.peers + options.peers.map(\.address) { sink.yield(peer) }
        if announcer == nil { sink.finish() }

        let result = await withTaskGroup(of: Void.self) { group -> Result<Metainfo, MetadataFetcher.FetchError> in
            if let announcer {
                group.addTask {
                    await announcer.run(
                        progress: { .fetchingMetadata },
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

}
