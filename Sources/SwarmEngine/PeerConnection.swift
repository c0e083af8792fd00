import Logging
import NIOCore
import PeerWire
import TorrentModel

/// Serves one peer connection for as long as it lives, as one structured task with three children:
/// a reader (handshake, then frames to the session), a writer (frames from the session to the socket)
/// and a timer (keep-alives and the idle time-out). The first child to end ends the connection.
struct PeerConnection: Sendable {
    let id: ConnectionID
    let ourPeerID: PeerID
    let settings: EngineSettings
    let logger: Logger
    /// Finds the session for an incoming handshake's infohash.
    let lookup: @Sendable (InfoHash) -> TorrentSession?
    let uploadLimit: RateLimiter?
    let downloadLimit: RateLimiter?

    /// Runs the connection. `dialedFor` is the session we dialed for; nil for an accepted connection,
    /// which learns its torrent from the peer's handshake. `source` is how we learned of the peer.
    func run(_ channel: PeerChannel, dialedFor dialed: TorrentSession?, source: PeerSource) async {
        let outbound = OutboundQueue()
        if let dialed { outbound.yield(.handshake(Handshake(infoHash: dialed.infoHash, peerID: ourPeerID))) }
        let activity = ConnectionActivity(now: .now)
        let backlog = UploadBacklog()
        let remote = channel.channel.remoteAddress
        do {
            try await channel.executeThenClose { inbound, writer in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        while let frames = await outbound.next() {
                            var pieceBytes = 0
                            var pieces = 0
                            for case .message(.piece(_, _, let block)) in frames {
                                pieceBytes += block.readableBytes
                                pieces += 1
                            }
                            if pieceBytes > 0 { try await uploadLimit?.consume(pieceBytes) }
                            try await writer.write(contentsOf: frames)
                            backlog.written(pieces)
                            activity.didWrite(at: .now)
                        }
                    }
                    group.addTask {
                        try await read(
                            inbound, outbound: outbound, dialed: dialed, source: source, activity: activity,
                            peer: PeerEndpointInfo(
                                remoteHost: remote?.ipAddress, remotePort: remote?.port, backlog: backlog))
                    }
                    group.addTask {
                        try await tick(outbound: outbound, activity: activity)
                    }
                    _ = try await group.next()
                    group.cancelAll()
                }
            }
        } catch is CancellationError {
        } catch {
            logger.info("connection \(id) closed: \(error)")
        }
        outbound.finish()
    }

    private func read(
        _ inbound: NIOAsyncChannelInboundStream<[PeerWireFrame]>, outbound: OutboundQueue,
        dialed: TorrentSession?, source: PeerSource, activity: ConnectionActivity, peer: PeerEndpointInfo
    ) async throws {
        var session: TorrentSession?
        defer { outbound.finish() }
        do {
            for try await frames in inbound {
                activity.didRead(at: .now)
                var messages: [PeerMessage] = []
                messages.reserveCapacity(frames.count)
                var pieceBytes = 0
                for frame in frames {
                    switch frame {
                    case .handshake(let handshake):
                        guard session == nil else { throw PeerConnectionError.secondHandshake }
                        session = try await accept(
                            handshake, outbound: outbound, dialed: dialed, source: source, peer: peer)
                    case .message(let message):
                        guard session != nil else { throw EngineError.expectedHandshake }
                        if case .piece(_, _, let block) = message { pieceBytes += block.readableBytes }
                        messages.append(message)
                    case .unknown(let messageID, let length):
                        logger.debug("connection \(id): skipped unknown message \(messageID) (\(length) bytes)")
                    }
                }
                if let session, !messages.isEmpty { await session.receive(id, messages) }
                if pieceBytes > 0 { try await downloadLimit?.consume(pieceBytes) }
            }
        } catch {
            await session?.detach(id)
            throw error
        }
        await session?.detach(id)
        if session == nil { throw EngineError.closedBeforeHandshake }
    }

    private func accept(
        _ handshake: Handshake, outbound: OutboundQueue, dialed: TorrentSession?, source: PeerSource,
        peer: PeerEndpointInfo
    ) async throws -> TorrentSession {
        guard handshake.peerID != ourPeerID else { throw EngineError.connectedToSelf }
        let session: TorrentSession
        if let dialed {
            guard handshake.infoHash == dialed.infoHash else { throw EngineError.unknownTorrent(handshake.infoHash) }
            session = dialed
        } else {
            guard let found = lookup(handshake.infoHash) else { throw EngineError.unknownTorrent(handshake.infoHash) }
            session = found
            outbound.yield(.handshake(Handshake(infoHash: found.infoHash, peerID: ourPeerID)))
        }
        try await session.attach(
            id, handshake: handshake, remote: peer, outbound: outbound,
            dialer: dialed == nil ? handshake.peerID : ourPeerID, source: source)
        return session
    }

    /// Sends keep-alives when we have been quiet and gives up on a peer that has been.
    private func tick(
        outbound: OutboundQueue, activity: ConnectionActivity
    ) async throws {
        let interval = min(settings.keepAliveInterval, settings.idleTimeout) / 4
        while true {
            try await Task.sleep(for: interval)
            let now = ContinuousClock.now
            if activity.silence(now: now) > settings.idleTimeout { throw PeerConnectionError.idle }
            if activity.quiet(now: now) > settings.keepAliveInterval { outbound.yield(.message(.keepAlive)) }
        }
    }
}

/// What the session needs to know about the far end of a connection.
struct PeerEndpointInfo: Sendable {
    let remoteHost: String?
    let remotePort: Int?
    let backlog: UploadBacklog

    /// The far end as an address; for an accepted connection the port is the peer's outgoing one.
    var address: PeerAddress? {
        guard let remoteHost, let remotePort, let port = UInt16(exactly: remotePort) else { return nil }
        return PeerAddress(host: remoteHost, port: port)
    }
}

/// Why a connection was closed by its own rules (as opposed to the session's).
enum PeerConnectionError: Error, CustomStringConvertible {
    case secondHandshake
    case idle

    var description: String {
        switch self {
        case .secondHandshake: return "the peer sent a second handshake"
        case .idle: return "the peer was silent for longer than the idle time-out"
        }
    }
}
