import Crypto
import Logging
import NIOCore
import PeerWire
import PieceStorage
import Swarm
import TorrentModel

/// One torrent's swarm: the picker, the per-peer request queues, the pieces being assembled and the
/// store. Every peer event of the torrent goes through this actor, so picker and queues never race.
/// Connections only move frames; all decisions are made here.
public actor TorrentSession {
    public nonisolated let infoHash: InfoHash
    public nonisolated let geometry: PieceGeometry
    /// The `info` dictionary as received, served to peers that ask for it over `ut_metadata` (BEP 9).
    let metadata: MetadataSource
    let store: any PieceStore
    let settings: EngineSettings
    let logger: Logger
    var picker: PiecePicker<ConnectionID>
    var peers: [ConnectionID: PeerState] = [:]
    private var assemblers: [Int: PieceAssembler] = [:]
    /// Who sent each block of each piece being assembled, to blame the right peers if it fails its hash.
    private var blockSenders: [Int: [Int: BlockSender]] = [:]
    private var choker: Choker<ConnectionID>
    /// Complete pieces waiting to be verified and written by `runWriter`.
    private nonisolated let pendingWrites: AsyncStream<PendingWrite>
    private nonisolated let pendingWritesSink: AsyncStream<PendingWrite>.Continuation
    /// Bytes of the pieces in `pendingWrites`: past `EngineSettings.maximumPendingWriteBytes` no more blocks
    /// are requested until the writer catches up, so a slow disk bounds memory instead of growing it.
    private var pendingWriteBytes = 0
    private var readCache = ReadCache()
    /// Peers waiting for a span another request is reading; nil when that read failed.
    private var readsInFlight: [ReadCache.Key: [CheckedContinuation<ByteBuffer?, Never>]] = [:]
    private var trust = PeerTrust<PeerIdentity>()
    private var completionWaiters: [CheckedContinuation<Void, Never>] = []
    /// Whether `runWriter` has started, and whether it has ended (its stream finished by `shutdown`).
    private var writerStarted = false
    private var writerEnded = false
    private var writerWaiters: [CheckedContinuation<Void, Never>] = []
    private var random = SystemRandomNumberGenerator()
    /// Streaming (TorrentSession+Streaming.swift): pieces with deadlines before this instant are urgent, and
    /// their blocks may be requested from a second peer. Nil when nothing is urgent.
    var urgentBefore: ContinuousClock.Instant?
    /// Callers waiting for pieces to be verified (`waitForPieces`), by ticket.
    var pieceWaiters: [Int: PieceWaiter] = [:]
    var nextPieceWaiter = 0
    /// Pieces that were verified after the deadline they had in the picker.
    public internal(set) var deadlineMisses = 0
    /// Accepted block bytes by where they came from: peers that had every piece at the time, and the others.
    public internal(set) var bytesFromSeeds: Int64 = 0
    public internal(set) var bytesFromPeers: Int64 = 0
    /// Block bytes received that were of no use: blocks had already (from another peer asked for them too,
    /// or sent after our `cancel`), or of pieces no longer wanted. libtorrent calls them redundant.
    public private(set) var redundantBytes: Int64 = 0
    /// With an upload limit: requests waiting for the sockets, most urgent first (`UploadQueue`).
    private var uploadQueue = UploadQueue<ConnectionID>()
    /// Requests taken from `uploadQueue` whose blocks are still being read: they count as handed over.
    private var uploadsBeingRead = 0
    /// Wakes `runUploads` when blocks were written or requests queued.
    private nonisolated let uploadSignals: AsyncStream<Void>
    private nonisolated let uploadSignalSink: AsyncStream<Void>.Continuation
    /// Peers unchoked since the last choker round because they need a piece we have soon (`rescueIfDue`).
    var rescuedPeers: Set<ConnectionID> = []
    /// As a busy seed, which requests to pass on to peers that have the piece too.
    private var seedDeferral: SeedRequestDeferral<ConnectionID>
    /// Block requests refused by `seedDeferral`, for the figures.
    public private(set) var deferredRequests = 0
    /// BEP 27: a private torrent finds peers through its trackers only, so no peer exchange.
    public nonisolated let isPrivate: Bool
    /// Dials and the listen address, from the engine that runs the session.
    let link: EngineLink
    /// Addresses learned from peer exchange, and the dials made to them (TorrentSession+PeerExchange.swift).
    var candidates: PeerCandidates
    /// Addresses being dialed, whoever asked (`claimDial`).
    var dialsInFlight: Set<PeerAddress> = []
    /// What each new peer's request queue is made with (`setRequestQueueTime` changes its queue time).
    var requestQueueConfiguration = PeerRequestQueue.Configuration()
    /// The zero of the seconds `PEXState` counts in.
    let startedAt = ContinuousClock.now
    private var firstPieceLogged = false
    /// `ut_pex` messages from peers: taken, and ignored (too soon, or not decodable).
    public internal(set) var pexMessagesTaken = 0
    public internal(set) var pexMessagesIgnored = 0

    /// Starts a session for the pieces `store.completion` already says are verified.
    public init(metainfo: Metainfo, store: any PieceStore, settings: EngineSettings, logger: Logger) {
        self.init(metainfo: metainfo, store: store, settings: settings, logger: logger, link: .detached)
    }

    /// A session run by an engine, which dials the peers it learns of.
    init(metainfo: Metainfo, store: any PieceStore, settings: EngineSettings, logger: Logger, link: EngineLink) {
        infoHash = metainfo.infoHash
        isPrivate = metainfo.isPrivate
        self.link = link
        candidates = PeerCandidates(
            capacity: settings.maximumPeerCandidates, redialInterval: settings.redialInterval,
            rememberedLimit: settings.maximumRememberedDials)
        geometry = metainfo.geometry
        metadata = MetadataSource(infoBytes: metainfo.infoBytes)
        self.store = store
        self.settings = settings
        self.logger = logger
        picker = PiecePicker(geometry: metainfo.geometry, have: store.completion.verified)
        choker = Choker(configuration: settings.choker)
        seedDeferral = SeedRequestDeferral(
            configuration: .init(
                newPieceWindow: SwarmSettings.seedNewPieceWindow(pieceLength: metainfo.geometry.pieceLength)))
        (pendingWrites, pendingWritesSink) = AsyncStream.makeStream(of: PendingWrite.self)
        (uploadSignals, uploadSignalSink) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// A complete piece on its way to the store, with who sent each of its blocks.
    struct PendingWrite: Sendable {
        let piece: Int
        let bytes: [UInt8]
        let senders: [Int: BlockSender]
    }

    /// Who sent one block: the connection (gone, perhaps) and the identity trust and bans are kept under.
    struct BlockSender: Sendable {
        let connection: ConnectionID
        let identity: PeerIdentity
    }

    /// True when every wanted piece is verified.
    public var isComplete: Bool { picker.isComplete }

    public var verifiedPieceCount: Int { picker.haveCount }

    public var connectedPeerCount: Int { peers.count }

    /// Whether a current connection's far end is `address` (for accepted ones, the peer's outgoing port).
    public func isConnected(to address: PeerAddress) -> Bool { peers.values.contains { $0.address == address } }

    /// Peers we currently let download from us.
    public var unchokedPeerCount: Int { peers.values.filter { !$0.amChoking }.count }

    /// Block bytes sent to peers since the session started.
    public private(set) var uploadedBytes: Int64 = 0

    /// Block bytes received from peers and accepted (duplicates and unwanted blocks not counted).
    public private(set) var downloadedBytes: Int64 = 0

    /// Bytes of the torrent in verified pieces.
    public var verifiedBytes: Int64 {
        var total = Int64(picker.haveCount) * Int64(geometry.pieceLength)
        // The last piece is shorter.
        let last = geometry.pieceCount - 1
        if last >= 0 && picker.have[last] {
            total -= Int64(geometry.pieceLength - geometry.length(ofPiece: last))
        }
        return total
    }

    /// Bytes still missing (what trackers call `left`).
    public var bytesLeft: Int64 { geometry.totalLength - verifiedBytes }

    /// Why the session cannot go on: the store failed to write (disk full, file gone, no permission).
    /// Set once; the session then stops downloading, and `waitUntilComplete` returns.
    public private(set) var storageFailure: StorageError?

    /// Returns once every wanted piece is verified (at once for a seed), the store failed
    /// (`storageFailure`), or the session was closed.
    public func waitUntilComplete() async {
        // A session closed before this call would never wake the waiter.
        if picker.isComplete || storageFailure != nil || isClosed { return }
        await withCheckedContinuation { completionWaiters.append($0) }
    }

    // MARK: - Connection life cycle

    /// A peer finished its handshake: say what we have and what we support. Throws (and the connection
    /// closes) for a banned peer or when the torrent has all the peers it may have.
    func attach(
        _ id: ConnectionID, handshake: Handshake, remote: PeerEndpointInfo,
        outbound: OutboundQueue, dialer: PeerID, source: PeerSource
    ) throws(EngineError) {
        let identity = PeerIdentity(host: remote.remoteHost, peerID: handshake.peerID)
        guard !trust.isBanned(identity) else { throw .banned }
        try keepOneConnection(to: handshake.peerID, dialedBy: dialer)
        guard peers.count < settings.maximumPeersPerTorrent else { throw .tooManyPeers }
        let fast = handshake.reserved.contains(.fastExtension)
        let peer = PeerState(
            handshake: handshake, identity: identity, address: remote.address, dialer: dialer, source: source,
            connectedAt: .now,
            backlog: remote.backlog, outbound: outbound,
            pieces: .bitfield(Bitfield(count: geometry.pieceCount)),
            queue: PeerRequestQueue(configuration: requestQueueConfiguration, supportsFastExtension: fast))
        picker.peerJoined(with: peer.pieces)
        if handshake.reserved.contains(.extensionProtocol) {
            peer.send(extensionHandshake.message)
        }
        let have = picker.have
        if fast && have.isComplete {
            peer.send(.haveAll)
        } else if fast && have.isEmpty {
            peer.send(.haveNone)
        } else if !have.isEmpty {
            peer.send(.bitfield(have.bytes))
        }
        if isUploadLimited {
            let signal = uploadSignalSink
            peer.backlog.setOnWritten { signal.yield() }
        }
        peers[id] = peer
        // A PEX dial's slot is free once it attached; its claim (`claimDial`) lasts until its connection ends.
        if source != .incoming, let address = remote.address { candidates.dialEnded(address) }
        // One line per connection with where the peer came from (`--verbose` shows it).
        logger.info(
            "peer \(id) attached: \(remote.address?.description ?? "?") from \(source.rawValue) (\(handshake.peerID))")
    }

    /// Two peers that dial each other at once end up with two connections. Both ends keep the one dialed by the
    /// peer with the lower ID (so they agree without a message): the new one is refused, or the old one closed.
    private func keepOneConnection(to peerID: PeerID, dialedBy dialer: PeerID) throws(EngineError) {
        guard let (existingID, existing) = peers.first(where: { $0.value.handshake.peerID == peerID }) else { return }
        let newIsPreferred =
            dialer != existing.dialer && dialer.bytes.lexicographicallyPrecedes(existing.dialer.bytes)
        guard newIsPreferred else { throw .duplicateConnection }
        disconnect(existingID, reason: "a second connection to the same peer is kept instead")
    }

    /// The connection closed (either side). Idempotent.
    func detach(_ id: ConnectionID) {
        guard let peer = peers.removeValue(forKey: id) else { return }
        peer.outbound.finish()
        picker.peerDisconnected(id)
        picker.peerLeft(with: peer.pieces)
        seedDeferral.peerLeft(id)
        rescuedPeers.remove(id)
        _ = uploadQueue.removeAll(of: id)
        logger.debug("peer \(id) detached")
        // Blocks it had outstanding are open again: give them to the others.
        for other in peers.keys { requestMore(other) }
    }

    /// Closes a connection for a reason worth a log line.
    func disconnect(_ id: ConnectionID, reason: String) {
        guard peers[id] != nil else { return }
        logger.notice("disconnecting peer \(id): \(reason)")
        detach(id)
    }

    /// Set once the session was closed (`closeAll`): nothing will complete it any more.
    var isClosed = false

    /// Closes every connection (the engine is stopping).
    func closeAll() {
        isClosed = true
        uploadSignalSink.finish()
        for id in Array(peers.keys) { detach(id) }
        releasePieceWaiters()
        let waiters = completionWaiters
        completionWaiters = []
        // Nobody waits forever on a session that is gone.
        for waiter in waiters { waiter.resume() }
    }

    /// Closes every connection and lets the writer finish the pieces it holds, then returns: after it, no
    /// piece of this session reaches the store. For a torrent being paused or removed.
    public func shutdown() async {
        closeAll()
        pendingWritesSink.finish()
        guard writerStarted, !writerEnded else { return }
        await withCheckedContinuation { writerWaiters.append($0) }
    }

    /// The peers connected now, for a node's status pages.
    public var peerSummaries: [PeerSummary] {
        let now = ContinuousClock.now
        return peers.values.map { peer in
            PeerSummary(
                address: peer.address.map { "\($0.host):\($0.port)" }, isSeed: peer.isSeed,
                downloadRate: peer.queue.downloadRate(now: now), uploadRate: peer.uploadRate.rate(now: now),
                source: peer.source)
        }
    }

    /// How many connected peers came from each source (sources with none left out).
    public var peerSourceCounts: [PeerSource: Int] {
        peers.values.reduce(into: [:]) { counts, peer in counts[peer.source, default: 0] += 1 }
    }

    /// Which pieces are verified.
    public var have: Bitfield { picker.have }

    /// Gives every piece a priority (per-file priorities mapped with `PiecePriority.forPieces`); pieces of
    /// priority 0 are not downloaded, and a torrent whose wanted pieces are all had counts as complete.
    public func setPiecePriorities(_ priorities: [PiecePriority]) {
        picker.setPriorities(priorities)
        for id in Array(peers.keys) {
            updateInterest(id)
            requestMore(id)
        }
        if picker.isComplete { announceCompletion() }
    }

    // MARK: - Messages

    /// The messages of one socket read, in order; stops early if one of them closed the connection.
    func receive(_ id: ConnectionID, _ messages: [PeerMessage]) async {
        for message in messages {
            guard peers[id] != nil else { return }
            await receive(id, message)
        }
    }

    func receive(_ id: ConnectionID, _ message: PeerMessage) async {
        guard peers[id] != nil else { return }
        let now = ContinuousClock.now
        switch message {
        case .keepAlive, .port, .suggestPiece:
            break
        case .choke:
            logger.trace("peer \(id) choked us")
            guard let dropped = peers[id]?.queue.choked(at: now) else { return }
            for block in dropped { picker.requestFailed(block, from: id) }
        case .unchoke:
            logger.trace("peer \(id) unchoked us")
            peers[id]?.queue.unchoked()
            requestMore(id)
        case .interested:
            peers[id]?.peerInterested = true
            // A free upload slot is given at once, and a newcomer (a viewer that just joined) gets one of a few extra
            // slots until the next choker round: it has nothing to trade yet, and waiting up to a round, or for the
            // optimistic unchoke, is a startup of many seconds for a watcher. Otherwise a peer a round would give a
            // regular slot now gets it now (`Choker.regularSlotsDue`), and the next round decides the rest.
            let slots =
                settings.choker.regularSlots + 1
                + (peers[id].map(isNewcomer) == true ? settings.choker.newcomerSlots : 0)
            if peers[id]?.amChoking == true {
                if unchokedPeerCount < slots { unchoke(id) } else { unchokeRegularSlotsDue(now: now) }
            }
        case .notInterested:
            peers[id]?.peerInterested = false
        case .have(let piece):
            guard piece >= 0 && piece < geometry.pieceCount else {
                return disconnect(id, reason: "have for piece \(piece) of \(geometry.pieceCount)")
            }
            guard peers[id]?.addPiece(piece) == true else { return }
            peers[id]?.needs.remove(piece: piece)
            picker.peerHas(piece: piece)
            peerPiecesChanged(id)
        case .bitfield(let bytes):
            guard let bits = Bitfield(wireBytes: bytes, count: geometry.pieceCount) else {
                return disconnect(id, reason: "malformed bitfield of \(bytes.count) bytes")
            }
            replacePieces(id, with: bits.isComplete ? .all : .bitfield(bits))
        case .haveAll, .haveNone:
            guard peers[id]?.supportsFastExtension == true else {
                return disconnect(id, reason: "\(message) without the fast extension")
            }
            let all = message == .haveAll
            replacePieces(id, with: all ? .all : .bitfield(Bitfield(count: geometry.pieceCount)))
        case .request(let block):
            await serve(block, to: id)
        case .piece(let index, let begin, let data):
            await receiveBlock(BlockRange(piece: index, offset: begin, length: data.readableBytes), data, from: id)
        case .cancel(let block):
            // Only requests still waiting for an upload limit can be dropped; the others are on their way.
            uploadQueue.cancel(block, from: id)
        case .rejectRequest(let block):
            logger.trace("peer \(id) rejected \(block.piece)+\(block.offset)")
            guard let rejection = peers[id]?.queue.rejected(block) else { return }
            switch rejection {
            case .returned(let returned):
                picker.requestFailed(returned, from: id)
                peers[id]?.rejectedPieces[returned.piece] = .now
                requestMore(id)
            case .alreadyAbandoned:
                break
            case .neverRequested:
                disconnect(id, reason: "reject for a block never requested (\(message))")
            }
        case .allowedFast(let piece):
            guard piece >= 0 && piece < geometry.pieceCount else { return }
            peers[id]?.queue.allowFast(piece: piece)
        case .extended(let extensionID, let payload):
            receiveExtended(extensionID, payload, from: id)
        }
    }

    private func receiveExtended(_ extensionID: UInt8, _ payload: ByteBuffer, from id: ConnectionID) {
        switch extensionID {
        case ExtensionHandshake.extendedMessageID:
            do {
                let handshake = try ExtensionHandshake(payload: payload)
                peers[id]?.queue.setPeerRequestLimit(handshake.requestQueueLength)
                peers[id]?.metadataExtensionID = handshake.messageID(forExtension: MetadataMessage.extensionName)
                peerExtensionHandshake(handshake, from: id)
            } catch {
                disconnect(id, reason: "bad extension handshake: \(error)")
            }
        case MetadataMessage.localExtensionID:
            let message: MetadataMessage?
            do {
                message = try MetadataMessage.decode(payload)
            } catch {
                return disconnect(id, reason: "bad ut_metadata message: \(error)")
            }
            // We have the metadata: answer requests; data and rejects from the peer mean nothing to us.
            guard case .request(let piece) = message, let peerID = peers[id]?.metadataExtensionID else { return }
            peers[id]?.send(metadata.response(toPiece: piece).message(extensionID: peerID))
        case PEXMessage.localExtensionID:
            receivePEX(payload, from: id)
        case DeadlineMessage.localExtensionID:
            receiveDeadlines(payload, from: id)
        default:
            break
        }
    }

    private func replacePieces(_ id: ConnectionID, with pieces: PeerPieces) {
        guard let old = peers[id]?.pieces else { return }
        picker.peerLeft(with: old)
        picker.peerJoined(with: pieces)
        peers[id]?.pieces = pieces
        peerPiecesChanged(id)
    }

    private func peerPiecesChanged(_ id: ConnectionID) {
        updateInterest(id)
        requestMore(id)
    }

    private func updateInterest(_ id: ConnectionID) {
        guard let peer = peers[id] else { return }
        let interesting = storageFailure == nil && !picker.isComplete && picker.isInteresting(peer.pieces)
        guard interesting != peer.amInterested else { return }
        peers[id]?.amInterested = interesting
        peer.send(interesting ? .interested : .notInterested)
    }

    /// A peer with less than `SwarmSettings.newcomerShare` of the pieces.
    private func isNewcomer(_ peer: PeerState) -> Bool {
        switch peer.pieces {
        case .all: return false
        case .bitfield(let bits):
            return Double(bits.setCount) < SwarmSettings.newcomerShare * Double(geometry.pieceCount)
        }
    }

    /// Fills the peer's request queue up to its available slots.
    func requestMore(_ id: ConnectionID) {
        let now = ContinuousClock.now
        guard storageFailure == nil, pendingWriteBytes < settings.maximumPendingWriteBytes, let peer = peers[id],
            peer.amInterested, !peer.queue.isChoked
        else { return }
        let slots = peer.queue.availableSlots(now: now)
        // Top the pipeline up in batches, not one request per block received: picking has a cost per call.
        // A short queue is always filled at once.
        let batch = EngineSettings.requestBatch
        guard slots >= batch || (slots > 0 && peer.queue.outstandingCount < batch) else { return }
        // Urgent pieces come first at every peer that is not snubbing us; second requests for urgent blocks go
        // only to peers expected to deliver them soon.
        let urgent = peer.queue.snubbed(now: now) ? nil : urgentBefore
        let blocks = picker.pickBlocks(
            for: id, from: peer.requestablePieces(now: now, pieceCount: geometry.pieceCount), count: slots,
            urgentBefore: urgent, urgentDuplicates: urgent != nil && isFastEnoughForUrgent(peer, now: now),
            using: &random)
        tellDeadlines(ofPieces: blocks.map(\.piece), to: peer, now: now)
        if !blocks.isEmpty { logger.trace("requesting of peer \(id): \(Self.traced(blocks))") }
        for block in blocks {
            if peer.queue.requested(block, at: now) {
                peer.send(.request(block))
            } else {
                picker.requestFailed(block, from: id)
            }
        }
    }

    // MARK: - Uploading

    private func serve(_ block: BlockRange, to id: ConnectionID) async {
        guard let peer = peers[id] else { return }
        guard geometry.isValidBlock(piece: block.piece, offset: block.offset, length: block.length) else {
            return disconnect(id, reason: "invalid request \(block.piece)+\(block.offset) (\(block.length) bytes)")
        }
        // A peer that asks for more than it reads gets refused past the `reqq` we announced.
        guard !peer.amChoking, store.completion.contains(block.piece),
            peer.backlog.count + uploadQueue.count(of: id) < settings.maximumPeerRequests
        else {
            if peer.supportsFastExtension { peer.send(.rejectRequest(block)) }
            return
        }
        if passOn(block, from: peer, id) { return }
        guard !isUploadLimited else {
            uploadQueue.add(block, from: id, at: .now)
            return await releaseUploads()
        }
        await send(block, to: id)
    }

    /// Reads a block and queues it for the peer's socket.
    private func send(_ block: BlockRange, to id: ConnectionID) async {
        do {
            let bytes = try await readForPeer(block)
            // The peer may have gone or been choked while the store read.
            guard let current = peers[id], !current.amChoking else { return }
            current.backlog.queued()
            current.send(.piece(index: block.piece, begin: block.offset, block: bytes))
            logger.trace("sent \(block.piece)+\(block.offset) to peer \(id)")
            if isUploadLimited { seedDeferral.sent(piece: block.piece, to: id, at: .now) }
            current.uploadRate.record(bytes: bytes.readableBytes, at: .now)
            uploadedBytes += Int64(bytes.readableBytes)
        } catch {
            logger.error("cannot read piece \(block.piece) for peer \(id): \(error)")
            peers[id]?.send(.rejectRequest(block))
        }
    }

    /// As a busy seed, refuses a request `seedDeferral` passes on to the peers that have the piece; true if it did.
    /// Only with an upload limit: without one, a queue on the sockets says little about what we could still send
    /// (two unlimited seeds passed every request to each other).
    private func passOn(
        _ block: BlockRange, from peer: PeerState, _ id: ConnectionID, askedAt: ContinuousClock.Instant? = nil
    ) -> Bool {
        guard isUploadLimited, picker.isComplete, peer.supportsFastExtension else { return false }
        let now = ContinuousClock.now
        let holders = picker.availability(ofPiece: block.piece)
        let queueDelay = uploadQueueDelay()
        let due = peer.needs.deadline(ofPiece: block.piece)
        // A watcher (it told us deadlines) asking for a new piece well ahead of what the swarm has, from where it
        // plays, waits its turn.
        let heldBack = seedDeferral.shouldHoldBack(
            piece: block.piece, holders: holders,
            firstPieceNobodyHas: peer.needs.pieceDueFirst.map { picker.firstPieceNobodyHas(from: $0) },
            due: due, uploadQueueDelay: queueDelay, now: now)
        guard
            heldBack
                || seedDeferral.shouldRefuse(
                    id, piece: block.piece, holders: holders, uploadQueueDelay: queueDelay, now: now, due: due,
                    askedAt: askedAt)
        else { return false }
        deferredRequests += 1
        logger.trace(
            "refused \(block.piece)+\(block.offset) to peer \(id): \(heldBack ? "held back" : "\(holders) have it")")
        peer.send(.rejectRequest(block))
        return true
    }

    /// With an upload limit, requests wait in `uploadQueue` and a busy seed passes some on (`passOn`); without
    /// one, each request is served as it arrives.
    private var isUploadLimited: Bool { settings.maximumUploadRate != nil }

    /// Runs until the session closes: hands waiting requests to the sockets as blocks are written.
    nonisolated func runUploads() async {
        for await _ in uploadSignals { await releaseUploads() }
    }

    /// Hands requests from the upload queue to the sockets, most urgent first, while the blocks already handed
    /// over take less than `SwarmSettings.uploadReleaseAhead` to send at the upload limit.
    private func releaseUploads() async {
        guard let limit = settings.maximumUploadRate else { return }
        let ahead = Int(Double(limit) * (SwarmSettings.uploadReleaseAhead / .seconds(1))) / TorrentLimits.blockSize
        let release = max(SwarmSettings.uploadReleaseMinimumBlocks, ahead)
        while uploadsBeingRead + peers.values.reduce(0, { $0 + $1.backlog.count }) < release,
            let next = uploadQueue.next(
                now: .now, sentLately: { peers[$0]?.uploadRate.rate(now: .now) ?? 0 },
                deadline: { peers[$0]?.needs.deadline(ofPiece: $1) },
                lead: { UploadUrgency.lead(holders: picker.availability(ofPiece: $0), isSeed: picker.isComplete) })
        {
            guard let peer = peers[next.peer] else { continue }
            guard !peer.amChoking else {
                if peer.supportsFastExtension { peer.send(.rejectRequest(next.block)) }
                continue
            }
            // Asked again: while the request waited, other peers may have got the piece.
            if passOn(next.block, from: peer, next.peer, askedAt: next.arrival) { continue }
            uploadsBeingRead += 1
            await send(next.block, to: next.peer)
            uploadsBeingRead -= 1
        }
    }

    /// How long the requests waiting in the upload queue and the blocks queued for the sockets take to send at
    /// the upload limit (zero without one).
    private func uploadQueueDelay() -> Duration {
        guard let limit = settings.maximumUploadRate, limit > 0 else { return .zero }
        let queued = peers.values.reduce(uploadQueue.count) { $0 + $1.backlog.count }
        return .seconds(Double(queued * TorrentLimits.blockSize) / Double(limit))
    }

    /// A verified block, through the read cache; concurrent requests for one span share a single read. The
    /// block is a slice of the cached span: sending it copies nothing.
    private func readForPeer(_ block: BlockRange) async throws(StorageError) -> ByteBuffer {
        let span = ReadCache.span(
            piece: block.piece, offset: block.offset, pieceLength: geometry.length(ofPiece: block.piece))
        let start = block.offset - span.start
        if let cached = readCache.get(span.key) { return cached.getSlice(at: start, length: block.length)! }
        if readsInFlight[span.key] != nil {
            let shared = await withCheckedContinuation { readsInFlight[span.key, default: []].append($0) }
            if let shared { return shared.getSlice(at: start, length: block.length)! }
            return try await store.readBuffer(piece: block.piece, offset: block.offset, length: block.length)
        }
        readsInFlight[span.key] = []
        let read: ByteBuffer
        do {
            read = try await store.readBuffer(piece: block.piece, offset: span.start, length: span.length)
        } catch {
            for waiter in readsInFlight.removeValue(forKey: span.key) ?? [] { waiter.resume(returning: nil) }
            throw error
        }
        readCache.put(span.key, read)
        for waiter in readsInFlight.removeValue(forKey: span.key) ?? [] { waiter.resume(returning: read) }
        return read.getSlice(at: start, length: block.length)!
    }

    // MARK: - Downloading

    private func receiveBlock(_ block: BlockRange, _ data: ByteBuffer, from id: ConnectionID) async {
        let now = ContinuousClock.now
        guard let peer = peers[id] else { return }
        let arrival = peer.queue.receive(block: block, at: now)
        if arrival.isProtocolViolation {
            return disconnect(id, reason: "piece message \(block.piece)+\(block.offset): \(arrival)")
        }
        let receipt = picker.blockReceived(block, from: id)
        for cancellation in receipt.cancels
        where peers[cancellation.peer]?.queue.cancel(cancellation.block, at: now) == true {
            peers[cancellation.peer]?.send(.cancel(cancellation.block))
        }
        switch receipt.outcome {
        case .invalid:
            return disconnect(id, reason: "block \(block.piece)+\(block.offset) is not one of the torrent's")
        case .duplicate, .unwanted:
            logger.trace("block \(block.piece)+\(block.offset) from peer \(id): \(receipt.outcome)")
            redundantBytes += Int64(block.length)
            requestMore(id)
            return
        case .accepted:
            logger.trace("block \(block.piece)+\(block.offset) from peer \(id)")
            downloadedBytes += Int64(block.length)
            if peer.isSeed { bytesFromSeeds += Int64(block.length) } else { bytesFromPeers += Int64(block.length) }
        }
        // Taken out of the dictionary while it changes: a copy left behind would make every 16 KiB block
        // copy the whole piece buffer (copy on write).
        var assembler =
            assemblers.removeValue(forKey: block.piece) ?? PieceAssembler(piece: block.piece, geometry: geometry)
        let added = assembler.add(offset: block.offset, bytes: data.readableBytesView)
        if case .rejected(let why) = added {
            assemblers[block.piece] = assembler
            return disconnect(id, reason: "block \(block.piece)+\(block.offset): \(why)")
        }
        blockSenders[block.piece, default: [:]][block.offset] = BlockSender(connection: id, identity: peer.identity)
        if receipt.pieceComplete, let bytes = assembler.takePiece() {
            let senders = blockSenders.removeValue(forKey: block.piece) ?? [:]
            requestMore(id)
            finishPiece(block.piece, bytes, senders: senders)
        } else {
            assemblers[block.piece] = assembler
            requestMore(id)
        }
    }

    /// Hands a complete piece to `runWriter`: hashing and writing it must not hold up the connection that
    /// delivered its last block, which goes on reading meanwhile.
    private func finishPiece(_ piece: Int, _ bytes: [UInt8], senders: [Int: BlockSender]) {
        pendingWriteBytes += bytes.count
        pendingWritesSink.yield(PendingWrite(piece: piece, bytes: bytes, senders: senders))
    }

    /// Verifies (SHA-1) and writes complete pieces one after another, off the session actor, then reports
    /// each back. The engine runs it beside the connections for as long as it runs.
    nonisolated func runWriter() async {
        await markWriterStarted()
        for await write in pendingWrites {
            do {
                let result = try await store.writeVerifiedPiece(write.piece, write.bytes)
                await pieceStored(write, result)
            } catch {
                await pieceNotStored(write.piece, error)
            }
        }
        await markWriterEnded()
    }

    private func markWriterStarted() {
        writerStarted = true
    }

    private func markWriterEnded() {
        writerEnded = true
        let waiters = writerWaiters
        writerWaiters = []
        for waiter in waiters { waiter.resume() }
    }

    private func pieceNotStored(_ piece: Int, _ error: StorageError) {
        pendingWriteBytes -= geometry.length(ofPiece: piece)
        logger.error("cannot store piece \(piece): \(error)")
        _ = picker.pieceFailed(piece)
        failStorage(error)
    }

    private func pieceStored(_ write: PendingWrite, _ result: PieceWriteResult) {
        let piece = write.piece
        let bytes = write.bytes
        let senders = write.senders
        pendingWriteBytes -= bytes.count
        switch result {
        case .verified:
            let now = ContinuousClock.now
            let deadline = picker.deadline(ofPiece: piece)
            if let deadline, deadline < now { deadlineMisses += 1 }
            logger.trace("piece \(piece) verified\(deadline.map { ", \(Self.traced(lateness: now - $0))" } ?? "")")
            let cancels = picker.pieceVerified(piece)
            for cancellation in cancels
            where peers[cancellation.peer]?.queue.cancel(cancellation.block, at: now) == true {
                peers[cancellation.peer]?.send(.cancel(cancellation.block))
            }
            for id in peers.keys {
                peers[id]?.send(.have(piece: piece))
                peers[id]?.toldDeadlines.remove(piece: piece)
                updateInterest(id)
            }
            let fingerprints = trust.remembersFailure(ofPiece: piece) ? blockFingerprints(bytes) : [:]
            let proven = trust.piecePassed(
                piece: piece, contributors: senders.values.map(\.identity), blockFingerprints: fingerprints)
            disconnectBanned(proven, reason: "an earlier block of piece \(piece) differed from the verified one")
            if !firstPieceLogged {
                // Time to first piece is how a magnet link's discovery is measured (bench/dht-magnet-vs-libtorrent.sh).
                firstPieceLogged = true
                let elapsed = (now - startedAt).components
                let milliseconds = elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000
                logger.info("first piece verified: piece \(piece), \(milliseconds) ms after the torrent was added")
            }
            if picker.isComplete { announceCompletion() }
            wakePieceWaiters(verified: piece)
        case .hashMismatch:
            _ = picker.pieceFailed(piece)
            let fingerprints = blockFingerprints(bytes)
            let blocks = senders.keys.sorted().map { offset in
                PeerTrust.BlockContribution(
                    offset: offset, peer: senders[offset]!.identity, fingerprint: fingerprints[offset] ?? [])
            }
            logger.warning("piece \(piece) failed its hash check (blocks from \(Set(blocks.map(\.peer)).count) peers)")
            disconnectBanned(
                trust.pieceFailed(piece: piece, blocks: blocks), reason: "sent data that failed hash checks")
        }
        for id in Array(peers.keys) { requestMore(id) }
    }

    /// SHA-1 of each 16 KiB block of a piece, by offset: which peer sent which bytes, for `PeerTrust`.
    private func blockFingerprints(_ bytes: [UInt8]) -> [Int: [UInt8]] {
        var fingerprints: [Int: [UInt8]] = [:]
        for offset in stride(from: 0, to: bytes.count, by: TorrentLimits.blockSize) {
            let end = min(offset + TorrentLimits.blockSize, bytes.count)
            fingerprints[offset] = Array(Insecure.SHA1.hash(data: bytes[offset..<end]))
        }
        return fingerprints
    }

    /// Closes every connection of the newly banned peers; `attach` refuses them from now on.
    private func disconnectBanned(_ banned: [PeerIdentity], reason: String) {
        guard !banned.isEmpty else { return }
        for id in Array(peers.keys) where banned.contains(peers[id]!.identity) {
            disconnect(id, reason: "banned: \(reason)")
        }
    }

    // MARK: - Once a second

    /// Gives up on requests that took too long, and runs the choker when a round is due.
    func tick(now: ContinuousClock.Instant) {
        for id in Array(peers.keys) {
            guard let expired = peers[id]?.queue.timedOut(now: now), !expired.isEmpty else { continue }
            for block in expired {
                picker.requestFailed(block, from: id)
                peers[id]?.send(.cancel(block))
            }
            logger.debug("peer \(id): \(expired.count) requests timed out")
        }
        if !peers.isEmpty { for id in Array(peers.keys) { requestMore(id) } }
        seedDeferral.forgetOld(now: now)
        if choker.isRoundDue(now: now) { rechoke(now: now) } else { unchokeRegularSlotsDue(now: now) }
        for id in Array(peers.keys) { rescueIfDue(id, now: now) }
        askChokingHoldersForDuePieces(now: now)
        exchangePeers(now: now)
    }

    /// How the choker hands out regular slots while we download, from its next round on (a watcher in deadline
    /// mode: `StreamingSettings.unchokesByExchange`).
    public func setLeechingMode(_ mode: ChokerConfiguration.LeechingMode) {
        choker.setLeechingMode(mode)
    }

    /// The choker's leeching mode now.
    public var leechingMode: ChokerConfiguration.LeechingMode { choker.configuration.leechingMode }

    private func chokerCandidates(now: ContinuousClock.Instant) -> [ChokerPeer<ConnectionID>] {
        peers.map { id, peer in
            ChokerPeer(
                id: id, isInterested: peer.peerInterested, isChoked: peer.amChoking,
                downloadRate: peer.queue.downloadRate(now: now), uploadRate: peer.uploadRate.rate(now: now),
                isSnubbed: peer.queue.snubbed(now: now), isSeed: peer.isSeed, connectedAt: peer.connectedAt)
        }
    }

    private func rechoke(now: ContinuousClock.Instant) {
        let decision = choker.rechoke(
            peers: chokerCandidates(now: now), amSeeding: picker.isComplete, now: now, using: &random)
        rescuedPeers.removeAll()
        for id in decision.unchoke { unchoke(id) }
        for id in decision.choke {
            guard let peer = peers[id] else { continue }
            logger.trace("choking peer \(id)")
            peer.amChoking = true
            peer.send(.choke)
            // Waiting requests are dropped; with the fast extension the peer must be told (BEP 6).
            for block in uploadQueue.removeAll(of: id) where peer.supportsFastExtension {
                peer.send(.rejectRequest(block))
            }
        }
    }

    /// Between rounds, unchokes the peers a round would give a regular slot to now (`Choker.regularSlotsDue`).
    private func unchokeRegularSlotsDue(now: ContinuousClock.Instant) {
        for id in choker.regularSlotsDue(peers: chokerCandidates(now: now), amSeeding: picker.isComplete) {
            unchoke(id)
        }
    }

    func unchoke(_ id: ConnectionID) {
        logger.trace("unchoking peer \(id)")
        peers[id]?.amChoking = false
        peers[id]?.send(.unchoke)
    }

    /// A write error is not the peers' fault and will not heal by itself: stop asking for data.
    private func failStorage(_ error: StorageError) {
        guard storageFailure == nil else { return }
        storageFailure = error
        releasePieceWaiters()
        for id in peers.keys where peers[id]?.amInterested == true {
            peers[id]?.amInterested = false
            peers[id]?.send(.notInterested)
        }
        let waiters = completionWaiters
        completionWaiters = []
        for waiter in waiters { waiter.resume() }
    }

    private func announceCompletion() {
        logger.info("all \(geometry.pieceCount) pieces verified")
        let waiters = completionWaiters
        completionWaiters = []
        for waiter in waiters { waiter.resume() }
    }
}
