import Logging
import NIOCore
import NIOPosix
import PeerWire
import PieceStorage
import Synchronization
import TorrentModel

/// Runs the swarms of several torrents: one listener, one `TorrentSession` per infohash, one structured
/// task per connection. Call `bind(host:port:)` (optional), then `run()` in a task you own; `stop()`
/// makes `run()` close everything and return.
public final class SwarmEngine: Sendable {
    public let peerID: PeerID
    public let settings: EngineSettings
    let group: any EventLoopGroup
    let logger: Logger
    private let sessions = Mutex<[InfoHash: TorrentSession]>([:])
    private let listener = Mutex<Listener?>(nil)
    /// Where the listener is bound: announced as `p` and never dialed.
    private let listenAddress = Mutex<PeerAddress?>(nil)
    private let nextConnection = Atomic<Int>(0)
    private let openConnections = Atomic<Int>(0)
    private let commands: AsyncStream<Command>
    private let commandSink: AsyncStream<Command>.Continuation
    private let uploadLimit: RateLimiter?
    private let downloadLimit: RateLimiter?

    private enum Command: Sendable {
        case accepted(PeerChannel)
        /// `reserved`: the connection was counted in already (a session's own dial).
        case connect(host: String, port: Int, session: TorrentSession, source: PeerSource, reserved: Bool)
        case added(TorrentSession)
        case stop
    }

    public init(
        peerID: PeerID, settings: EngineSettings = EngineSettings(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "shoal.engine")
    ) {
        self.peerID = peerID
        self.settings = settings
        self.group = group
        self.logger = logger
        uploadLimit = RateLimiter(bytesPerSecond: settings.maximumUploadRate)
        downloadLimit = RateLimiter(bytesPerSecond: settings.maximumDownloadRate)
        (commands, commandSink) = AsyncStream.makeStream(of: Command.self)
    }

    /// Starts a session for a torrent; its store's completion says what we already have.
    @discardableResult
    public func addTorrent(_ metainfo: Metainfo, store: any PieceStore) -> TorrentSession {
        let infoHash = metainfo.infoHash
        let link = EngineLink(
            dial: { [weak self] address, source in
                self?.dialForSession(address, source: source, infoHash: infoHash) ?? false
            },
            listenAddress: { [weak self] in self?.listenAddress.withLock { $0 } })
        let session = TorrentSession(
            metainfo: metainfo, store: store, settings: settings, logger: logger, link: link)
        sessions.withLock { $0[metainfo.infoHash] = session }
        commandSink.yield(.added(session))
        return session
    }

    /// Stops a torrent's swarm: its connections close, the pieces it was writing are written, and incoming
    /// connections for it are refused from now on. Returns once its writer is done with the store.
    public func removeTorrent(_ infoHash: InfoHash) async {
        guard let session = sessions.withLock({ $0.removeValue(forKey: infoHash) }) else { return }
        await session.shutdown()
    }

    public func session(for infoHash: InfoHash) -> TorrentSession? {
        sessions.withLock { $0[infoHash] }
    }

    /// Opens the listener (port 0 picks a free one) and returns the bound port. `run()` accepts on it.
    public func bind(host: String = "127.0.0.1", port: Int = 0) async throws -> Int {
        let accepted = AcceptedChannels()
        let server = try await PeerChannelFactory.listen(host: host, port: port, group: group, accepted: accepted)
        let bound = server.channel.localAddress?.port ?? port
        let replaced = listener.withLock { slot -> Listener? in
            defer { slot = Listener(server: server, accepted: accepted) }
            return slot
        }
        if let replaced {
            try? await replaced.server.channel.close()
            await replaced.accepted.end()
        }
        listenAddress.withLock { $0 = UInt16(exactly: bound).map { PeerAddress(host: host, port: $0) } }
        logger.info("listening on \(host):\(bound)")
        return bound
    }

    /// Dials a peer for the torrent `infoHash` (a torrent added before). Handled by `run()`. `source` is how we
    /// learned of the peer, shown in the session's peer list.
    public func connect(host: String, port: Int, infoHash: InfoHash, source: PeerSource = .manual) {
        guard let session = session(for: infoHash) else {
            logger.warning("not dialing \(host):\(port): torrent \(infoHash) was not added")
            return
        }
        commandSink.yield(.connect(host: host, port: port, session: session, source: source, reserved: false))
    }

    /// A session's own dial (PEX): refused while the engine has every connection it may have. The connection is
    /// counted in here, so that several dials asked for at once cannot pass the limit together.
    private func dialForSession(_ address: PeerAddress, source: PeerSource, infoHash: InfoHash) -> Bool {
        guard let session = session(for: infoHash), reserveConnection() else { return false }
        commandSink.yield(
            .connect(host: address.host, port: Int(address.port), session: session, source: source, reserved: true))
        return true
    }

    /// Asks `run()` to close every connection and the listener, then return.
    public func stop() {
        commandSink.yield(.stop)
        commandSink.finish()
    }

    /// Accepts and dials until `stop()`; every connection is a child task of this one.
    public func run() async {
        let server = listener.withLock { slot -> Listener? in
            defer { slot = nil }
            return slot
        }
        await withDiscardingTaskGroup { group in
            if let server {
                group.addTask { await self.accept(on: server) }
            }
            group.addTask { await self.tickSessions() }
            // After `.stop`, the rest of the stream (which `stop()` ends) is only drained: a connection accepted
            // meanwhile must still be closed through its channel, or the process stops (NIO's precondition).
            var stopping = false
            for await command in commands {
                if stopping {
                    if case .accepted(let channel) = command { group.addTask { await channel.discard() } }
                    continue
                }
                switch command {
                case .accepted(let channel):
                    guard reserveConnection() else {
                        logger.info("refusing a connection: \(settings.maximumConnections) open already")
                        group.addTask { await channel.discard() }
                        continue
                    }
                    let connection = makeConnection()
                    group.addTask {
                        defer { self.releaseConnection() }
                        await connection.run(channel, dialedFor: nil, source: .incoming)
                    }
                case .connect(let host, let port, let session, let source, let reserved):
                    let address = UInt16(exactly: port).map { PeerAddress(host: host, port: $0) }
                    guard reserved || reserveConnection() else {
                        logger.info("not dialing \(host):\(port): \(settings.maximumConnections) connections open")
                        if let address { group.addTask { await session.dialEnded(address) } }
                        continue
                    }
                    let connection = makeConnection()
                    group.addTask {
                        defer { self.releaseConnection() }
                        if let address, !(await session.claimDial(address, candidate: reserved)) {
                            self.logger.debug("not dialing \(host):\(port): connected or being dialed already")
                            return
                        }
                        do {
                            let channel = try await PeerChannelFactory.dial(
                                host: host, port: port, from: self.settings.outgoingAddress, group: self.group,
                                timeout: self.settings.connectTimeout)
                            await connection.run(channel, dialedFor: session, source: source)
                        } catch {
                            self.logger.info("cannot connect to \(host):\(port): \(error)")
                        }
                        // Frees the session's slot for dials in flight (a no-op for dials it did not start).
                        if let address { await session.dialEnded(address) }
                    }
                case .added(let session):
                    group.addTask { await session.runWriter() }
                    group.addTask { await session.runUploads() }
                case .stop:
                    stopping = true
                }
            }
            for session in sessions.withLock({ Array($0.values) }) { await session.closeAll() }
            group.cancelAll()
        }
        logger.info("engine stopped")
    }

    /// Counts a connection in, unless the engine has all it may have.
    private func reserveConnection() -> Bool {
        let now = openConnections.wrappingAdd(1, ordering: .relaxed).newValue
        guard now <= settings.maximumConnections else {
            releaseConnection()
            return false
        }
        return true
    }

    private func releaseConnection() { openConnections.wrappingSubtract(1, ordering: .relaxed) }

    /// Request time-outs and choker rounds for every torrent, until `run` ends.
    private func tickSessions() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: settings.tickInterval)
            let now = ContinuousClock.now
            for session in sessions.withLock({ Array($0.values) }) { await session.tick(now: now) }
        }
    }

    private func accept(on listener: Listener) async {
        do {
            try await listener.server.executeThenClose { inbound in
                for try await channel in inbound {
                    listener.accepted.take(channel)
                    // The engine stopped: nobody takes the connection.
                    if case .terminated = commandSink.yield(.accepted(channel)) { await channel.discard() }
                }
            }
        } catch is CancellationError {
        } catch {
            logger.error("listener failed: \(error)")
        }
        await listener.accepted.end()
    }

    private func makeConnection() -> PeerConnection {
        let id = ConnectionID(rawValue: nextConnection.wrappingAdd(1, ordering: .relaxed).newValue)
        return PeerConnection(
            id: id, ourPeerID: peerID, settings: settings, logger: logger,
            lookup: { [weak self] hash in self?.session(for: hash) }, uploadLimit: uploadLimit,
            downloadLimit: downloadLimit)
    }
}

/// The engine's listening socket and the connections it accepted that the accept loop has not taken yet.
private struct Listener: Sendable {
    let server: NIOAsyncChannel<PeerChannel, Never>
    let accepted: AcceptedChannels
}
