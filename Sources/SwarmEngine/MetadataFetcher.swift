import Logging
import NIOCore
import NIOPosix
import PeerWire
import TorrentModel

/// Fetches a magnet link's torrent metadata from peers over `ut_metadata` (BEP 9): dials several
/// peers at once, asks each for every metadata piece, and returns the first set that hashes to the
/// infohash. One peer at a time is trusted for all pieces, so a bad peer costs only its own attempt.
public struct MetadataFetcher: Sendable {
    /// Why no metadata came.
    public enum FetchError: Error, Sendable, CustomStringConvertible {
        /// Every peer was tried (and the peer source ended) without success.
        case noPeerHadMetadata(tried: Int)
        /// The metadata hashes to the infohash but is not a torrent Shoal accepts.
        case refused(MetainfoError)

        public var description: String {
            switch self {
            case .noPeerHadMetadata(let tried):
                return tried == 0
                    ? "no peers to ask for the torrent's metadata (add --peer HOST:PORT or a tracker)"
                    : "none of the \(tried) peers tried sent the torrent's metadata"
            case .refused(let error): return "the torrent's metadata is not acceptable: \(error)"
            }
        }
    }

    /// Why one peer did not deliver.
    enum PeerFailure: Error, CustomStringConvertible {
        case closed
        case noExtensionProtocol
        case noMetadata
        case wrongTorrent
        case hashMismatch
        case timedOut

        var description: String {
            switch self {
            case .closed: return "closed the connection"
            case .noExtensionProtocol: return "does not support the extension protocol"
            case .noMetadata: return "does not offer ut_metadata"
            case .wrongTorrent: return "answered for another torrent"
            case .hashMismatch: return "sent metadata that does not hash to the infohash"
            case .timedOut: return "took too long"
            }
        }
    }

    /// Peers asked at the same time.
    public static let concurrentPeers = 4
    /// How long one peer may take to deliver everything.
    public static let peerTimeout: Duration = .seconds(30)

    let infoHash: InfoHash
    let peerID: PeerID
    let settings: EngineSettings
    let group: any EventLoopGroup
    let logger: Logger

    public init(
        infoHash: InfoHash, peerID: PeerID, settings: EngineSettings = EngineSettings(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger
    ) {
        self.infoHash = infoHash
        self.peerID = peerID
        self.settings = settings
        self.group = group
        self.logger = logger
    }

    private enum Event: Sendable {
        case peer(PeerAddress)
        case noMorePeers
        case fetched(Metainfo)
        case failed(PeerAddress, any Error)
        case refused(MetainfoError)
    }

    /// Tries the peers `peers` yields (each address once) until one delivers; throws when the stream
    /// ends and every peer failed. Cancel the task to give up earlier.
    public func fetch(from peers: AsyncStream<PeerAddress>) async throws(FetchError) -> Metainfo {
        let (events, sink) = AsyncStream.makeStream(of: Event.self)
        let result = await withTaskGroup(of: Void.self) { group -> Result<Metainfo, FetchError> in
            group.addTask {
                for await peer in peers { sink.yield(.peer(peer)) }
                sink.yield(.noMorePeers)
            }
            var seen: Set<PeerAddress> = []
            var pending: [PeerAddress] = []
            var running = 0
            var sourceEnded = false
            defer { group.cancelAll() }
            for await event in events {
                switch event {
                case .peer(let peer):
                    if seen.insert(peer).inserted { pending.append(peer) }
                case .noMorePeers:
                    sourceEnded = true
                case .fetched(let metainfo):
                    return .success(metainfo)
                case .refused(let error):
                    return .failure(.refused(error))
                case .failed(let peer, let error):
                    running -= 1
                    logger.info("metadata from \(peer): \(error)")
                }
                while running < Self.concurrentPeers && !pending.isEmpty {
                    let peer = pending.removeFirst()
                    running += 1
                    group.addTask {
                        do {
                            sink.yield(.fetched(try await fetch(from: peer)))
                        } catch MetadataFetcherRefusal.refused(let error) {
                            sink.yield(.refused(error))
                        } catch {
                            sink.yield(.failed(peer, error))
                        }
                    }
                }
                if sourceEnded && running == 0 && pending.isEmpty { break }
            }
            return .failure(.noPeerHadMetadata(tried: seen.count))
        }
        return try result.get()
    }

    /// Asks one peer, within `peerTimeout`.
    func fetch(from peer: PeerAddress) async throws -> Metainfo {
        try await withThrowingTaskGroup(of: Metainfo?.self) { group in
            group.addTask { try await fetchWithoutTimeout(from: peer) }
            group.addTask {
                try await Task.sleep(for: Self.peerTimeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let metainfo = first else { throw PeerFailure.timedOut }
            return metainfo
        }
    }

    private func fetchWithoutTimeout(from peer: PeerAddress) async throws -> Metainfo {
        let channel = try await PeerChannelFactory.dial(
            host: peer.host, port: Int(peer.port), from: settings.outgoingAddress, group: group,
            timeout: settings.connectTimeout)
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(.handshake(Handshake(infoHash: infoHash, peerID: peerID)))
            var frames = FrameIterator(batches: inbound.makeAsyncIterator())
            guard case .handshake(let theirs)? = try await frames.next() else { throw PeerFailure.closed }
            guard theirs.infoHash == infoHash else { throw PeerFailure.wrongTorrent }
            guard theirs.reserved.contains(.extensionProtocol) else { throw PeerFailure.noExtensionProtocol }
            let ours = ExtensionHandshake(
                extensions: [MetadataMessage.extensionName: MetadataMessage.localExtensionID],
                client: settings.clientName)
            try await outbound.write(.message(ours.message))
            var assembler: MetadataAssembler?
            while let frame = try await frames.next() {
                guard case .message(.extended(let id, let payload)) = frame else { continue }
                if id == ExtensionHandshake.extendedMessageID {
                    let handshake = try ExtensionHandshake(payload: payload)
                    guard assembler == nil else { continue }
                    guard let theirID = handshake.messageID(forExtension: MetadataMessage.extensionName),
                        let size = handshake.metadataSize
                    else { throw PeerFailure.noMetadata }
                    var fresh = try MetadataAssembler(infoHash: infoHash, totalSize: size)
                    while let piece = fresh.nextRequest() {
                        try await outbound.write(
                            .message(MetadataMessage.request(piece: piece).message(extensionID: theirID)))
                    }
                    assembler = fresh
                } else if id == MetadataMessage.localExtensionID, var current = assembler {
                    guard let message = try MetadataMessage.decode(payload) else { continue }
                    if case .reject = message { throw PeerFailure.noMetadata }
                    switch try current.receive(message) {
                    case .incomplete: assembler = current
                    case .complete(let metainfo): return metainfo
                    case .hashMismatch: throw PeerFailure.hashMismatch
                    case .refused(let error): throw MetadataFetcherRefusal.refused(error)
                    }
                }
            }
            throw PeerFailure.closed
        }
    }
}

/// One frame at a time out of a channel that delivers the frames of each read together.
struct FrameIterator {
    var batches: NIOAsyncChannelInboundStream<[PeerWireFrame]>.AsyncIterator
    private var pending: ArraySlice<PeerWireFrame> = []

    init(batches: NIOAsyncChannelInboundStream<[PeerWireFrame]>.AsyncIterator) {
        self.batches = batches
    }

    mutating func next() async throws -> PeerWireFrame? {
        while pending.isEmpty {
            guard let batch = try await batches.next() else { return nil }
            pending = batch[...]
        }
        return pending.popFirst()
    }
}

/// Thrown out of one peer's attempt when the metadata is genuine but unusable: no point asking others.
enum MetadataFetcherRefusal: Error {
    case refused(MetainfoError)
}
