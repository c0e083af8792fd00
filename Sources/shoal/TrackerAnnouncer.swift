import Logging
import NIOCore
import NIOPosix
import PeerWire
import TorrentModel
import TrackerClient

/// The tracker `Announcer` for one torrent, as `shoal download`, `shoal seed` and magnet resolving use it.
enum TrackerAnnouncer {
    /// An announcer for `tiers` (BEP 12), or nil when there is no usable tracker. URLs that cannot be used
    /// (`wss://`, malformed) are reported on stderr; `name` says which torrent in errors. Announces leave from
    /// `outgoingAddress` when given (the address the node listens on).
    static func make(
        infoHash: InfoHash, name: String, tiers: [[String]], peerID: PeerID, port: UInt16,
        outgoingAddress: SocketAddress?, logger: Logger, generator: inout SystemRandomNumberGenerator
    ) throws(CLIError) -> Announcer<ContinuousClock>? {
        guard !tiers.joined().isEmpty else { return nil }
        var settings = TrackerClientSettings()
        settings.outgoingAddress = outgoingAddress
        let factory = TrackerFactory(
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton, settings: settings, logger: logger)
        let (list, rejected) = factory.makeTierList(tiers: tiers, shuffledWith: &generator)
        for (url, error) in rejected { Terminal.writeToStandardError("shoal: tracker \(url) skipped: \(error)\n") }
        guard !list.elements.isEmpty else { return nil }
        do {
            return try Announcer(
                infoHash: infoHash, peerID: peerID.bytes, port: port,
                key: UInt32.random(in: 0...UInt32.max, using: &generator), trackers: list, clock: ContinuousClock(),
                logger: logger)
        } catch {
            throw CLIError.input("cannot announce \(name): \(error)")
        }
    }
}
