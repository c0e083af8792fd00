import DHTNode
import Logging
import PeerWire
import SwarmEngine
import Synchronization
import TorrentModel
import TrackerClient
import TrackerProtocol

/// Turns a magnet link into a torrent: asks the link's peers (`x.pe`), the `--peer`s and the peers
/// its trackers and the DHT name for the metadata (BEP 9), and adds the link's trackers and web seeds to it.
struct MagnetResolver {
    let magnet: MagnetLink
    let options: SwarmOptions
    /// Searched for the link's peers too, unless nil (`--no-dht`).
    let dht: DHTNode?

    /// The torrent, and the peers the trackers and the DHT named on the way (for the swarm to dial at once,
    /// rather than waiting for their next round).
    func resolve() async throws(CLIError) -> (metainfo: Metainfo, peers: [(PeerAddress, PeerSource)]) {
        guard !magnet.peers.isEmpty || !magnet.trackers.isEmpty || !options.peers.isEmpty || options.canSearchDHT else {
            throw CLIError.input(
                "\(magnet.infoHash.hex): no tracker, no peer and no DHT to ask for the torrent (add --peer HOST:PORT or --dht-bootstrap)"
            )
        }
        let logger = options.logger
        var generator = SystemRandomNumberGenerator()
        let peerID = PeerID.generate(using: &generator)
        let fetcher = MetadataFetcher(
            infoHash: magnet.infoHash, peerID: peerID,
            settings: EngineSettings(outgoingAddress: options.outgoingAddress),
            logger: logger)
        if !options.quiet { Terminal.writeToStandardError("fetching metadata for \(magnet.infoHash.hex)\n") }

        // Peers answer to whatever port we listen on later; a port is required here, so announce ours.
        let announcer = try TrackerAnnouncer.make(
            infoHash: magnet.infoHash, name: magnet.infoHash.hex, tiers: magnet.trackers.map { [$0] }, peerID: peerID,
            port: UInt16(clamping: options.port == 0 ? 6881 : options.port), outgoingAddress: options.outgoingAddress,
            logger: logger, generator: &generator)
        let search =
            options.canSearchDHT ? dht.map { DHTAnnouncer(node: $0, infoHash: magnet.infoHash, port: nil) } : nil
        let (peers, sink) = AsyncStream.makeStream(of: PeerAddress.self)
        let found = FoundPeers()
        for peer in magnet.peers + options.peers.map(\.address) { sink.yield(peer) }
        if announcer == nil && search == nil { sink.finish() }
        if search != nil && !options.quiet { Terminal.writeToStandardError("searching the DHT for peers\n") }

        let result = await withTaskGroup(of: Void.self) { group -> Result<Metainfo, MetadataFetcher.FetchError> in
            if let announcer {
                group.addTask {
                    await announcer.run(
                        progress: { .fetchingMetadata },
                        onPeers: { named in
                            found.list.withLock { $0 += named.map { ($0.peerAddress, .tracker) } }
                            for peer in named { sink.yield(peer.peerAddress) }
                        })
                }
            }
            if let search {
                group.addTask {
                    await search.run(onPeers: { named in
                        found.list.withLock { $0 += named.map { ($0, .dht) } }
                        for peer in named { sink.yield(peer) }
                    })
                }
            }
            let result: Result<Metainfo, MetadataFetcher.FetchError>
            do throws(MetadataFetcher.FetchError) {
                result = .success(try await fetcher.fetch(from: peers))
            } catch {
                result = .failure(error)
            }
            announcer?.stop()
            search?.stop()
            sink.finish()
            await group.waitForAll()
            return result
        }
        switch result {
        case .success(var metainfo):
            metainfo.trackerTiers = magnet.trackers.isEmpty ? metainfo.trackerTiers : magnet.trackers.map { [$0] }
            metainfo.webSeeds = magnet.webSeeds
            if !options.quiet { Terminal.writeToStandardError("metadata: \(metainfo.name)\n") }
            return (metainfo, found.list.withLock { $0 })
        case .failure(let error):
            throw CLIError.input("\(magnet.infoHash.hex): \(error.description)")
        }
    }

}

/// The peers trackers and the DHT named while a magnet link's metadata was fetched.
private final class FoundPeers: Sendable {
    let list = Mutex<[(PeerAddress, PeerSource)]>([])
}
