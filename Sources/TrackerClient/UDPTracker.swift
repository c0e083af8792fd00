import Logging
import NIOCore
import NIOPosix
import TorrentModel
import TrackerProtocol

/// A BEP 15 tracker over UDP. Each announce or scrape opens a socket connected to the tracker,
/// connects unless a connection id is younger than its lifetime, sends the request, and retransmits
/// after `base × 2ⁿ` without an answer. Answers whose transaction id this exchange did not send are ignored.
public actor UDPTracker<C: Clock>: Tracker where C.Duration == Duration {
    public nonisolated let url: String
    private let host: String
    private let port: Int
    private let urlData: [UInt8]
    private let eventLoopGroup: any EventLoopGroup
    private let settings: TrackerClientSettings
    private let clock: C
    private let logger: Logger
    /// BEP 15: a connection id is good for a minute after it arrives.
    private var connection: (id: UInt64, expires: C.Instant)?

    public init(
        url: String, eventLoopGroup: any EventLoopGroup, settings: TrackerClientSettings = .init(), clock: C,
        logger: Logger
    ) throws(TrackerClientError) {
        guard case .udp(let host, let port, let urlData) = try TrackerURL(url) else { throw .unsupportedURL(url) }
        self.url = url
        self.host = host
        self.port = port
        self.urlData = urlData
        self.eventLoopGroup = eventLoopGroup
        self.settings = settings
        self.clock = clock
        self.logger = logger
    }

    public func announce(_ request: AnnounceRequest) async throws(TrackerClientError) -> AnnounceResponse {
        let urlData = self.urlData
        let response = try await exchange(expecting: .announce) { connectionID, transactionID in
            .announce(connectionID: connectionID, transactionID: transactionID, request: request, urlData: urlData)
        }
        guard case .announce(_, let body) = response else { throw .unexpectedResponse("not an announce response") }
        return body
    }

    /// Scrapes in packets of at most 74 infohashes (BEP 15).
    public func scrape(_ infoHashes: [InfoHash]) async throws(TrackerClientError) -> ScrapeResponse {
        var files: [InfoHash: ScrapeStats] = [:]
        var start = 0
        while start < infoHashes.count {
            let chunk = Array(
                infoHashes[start..<min(start + TrackerLimits.maximumUDPScrapeInfoHashes, infoHashes.count)])
            let response = try await exchange(expecting: .scrape) { connectionID, transactionID in
                .scrape(connectionID: connectionID, transactionID: transactionID, infoHashes: chunk)
            }
            guard case .scrape(_, let stats) = response, stats.count == chunk.count else {
                throw .unexpectedResponse("scrape answer does not have one entry per infohash")
            }
            for (infoHash, entry) in zip(chunk, stats) { files[infoHash] = entry }
            start += chunk.count
        }
        return ScrapeResponse(files: files)
    }

    /// The connection id while it is fresh.
    var cachedConnectionID: UInt64? {
        guard let connection, clock.now < connection.expires else { return nil }
        return connection.id
    }

    private func remember(connectionID: UInt64) {
        connection = (connectionID, clock.now.advanced(by: settings.udpConnectionIDLifetime))
    }

    private func forgetConnectionID() { connection = nil }

    /// A socket connected to the tracker, bound first to the outgoing address when there is one.
    private func openSocket(
        to address: SocketAddress
    ) async throws -> NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, ByteBuffer> {
        let bootstrap = DatagramBootstrap(group: eventLoopGroup)
            .channelOption(
                ChannelOptions.recvAllocator,
                value: FixedSizeRecvByteBufferAllocator(capacity: settings.udpMaximumDatagramSize))
        let wrap:
            @Sendable (any Channel) -> EventLoopFuture<NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, ByteBuffer>> =
                { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, ByteBuffer>(
                            wrappingChannelSynchronously: channel)
                    }
                }
        guard let local = settings.outgoingAddress else {
            return try await bootstrap.connect(to: address, channelInitializer: wrap)
        }
        let channel = try await bootstrap.bind(to: local, channelInitializer: wrap)
        do {
            try await channel.channel.connect(to: address).get()
        } catch {
            try? await channel.channel.close()
            throw error
        }
        return channel
    }

    /// Runs connect (when needed) and the request on one socket, with BEP 15 retransmission.
    /// A UDP error packet throws `.trackerFailure` and drops the connection id, which may be why.
    private func exchange(
        expecting action: UDPTrackerAction, _ makeRequest: (UInt64, UInt32) -> UDPTrackerRequest
    ) async throws(TrackerClientError) -> UDPTrackerResponse {
        let address = try await resolve()
        let family: PeerAddressFamily = address.protocol == .inet6 ? .ipv6 : .ipv4
        do {
            let channel = try await openSocket(to: address)
            return try await channel.executeThenClose { inbound, outbound in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    let (events, continuation) = AsyncStream.makeStream(of: UDPSession.Event.self)
                    group.addTask {
                        do {
                            for try await envelope in inbound {
                                continuation.yield(.datagram(Array(envelope.data.readableBytesView)))
                            }
                            continuation.yield(.failed("the socket closed"))
                        } catch {
                            continuation.yield(.failed(String(describing: error)))
                        }
                    }
                    defer { group.cancelAll() }
                    var session = UDPSession(
                        events: events.makeAsyncIterator(), continuation: continuation, family: family,
                        send: { packet in try await outbound.write(ByteBuffer(bytes: packet)) })
                    return try await self.converse(
                        session: &session, group: &group, expecting: action, makeRequest: makeRequest)
                }
            }
        } catch let error as TrackerClientError {
            throw error
        } catch is CancellationError {
            throw .cancelled
        } catch {
            throw .network(String(describing: error))
        }
    }

    private func converse(
        session: inout UDPSession, group: inout ThrowingTaskGroup<Void, any Error>, expecting action: UDPTrackerAction,
        makeRequest: (UInt64, UInt32) -> UDPTrackerRequest
    ) async throws -> UDPTrackerResponse {
        // Late answers to an earlier transmission are as good as answers to the latest one.
        var connectTransactions: Set<UInt32> = []
        var requestTransactions: Set<UInt32> = []
        var attempt = 0
        while attempt <= settings.udpMaximumRetransmissions {
            let timeout = settings.udpBaseTimeout * (1 << min(attempt, 8))
            let connectionID: UInt64
            if let cached = cachedConnectionID {
                connectionID = cached
            } else {
                let transactionID = UInt32.random(in: .min ... .max)
                connectTransactions.insert(transactionID)
                let answer = try await session.roundTrip(
                    UDPTrackerRequest.connect(transactionID: transactionID).encoded(), accepting: connectTransactions,
                    timeout: timeout, clock: clock, group: &group)
                switch answer {
                case nil:
                    logger.debug("UDP tracker connect timed out", metadata: ["url": "\(url)", "attempt": "\(attempt)"])
                    attempt += 1
                    continue
                case .connect(_, let id)?:
                    remember(connectionID: id)
                    connectionID = id
                case .error(_, let message)?:
                    throw TrackerClientError.trackerFailure(message)
                case let other?:
                    throw TrackerClientError.unexpectedResponse("\(other.action) in answer to connect")
                }
            }
            let transactionID = UInt32.random(in: .min ... .max)
            requestTransactions.insert(transactionID)
            let answer = try await session.roundTrip(
                makeRequest(connectionID, transactionID).encoded(), accepting: requestTransactions, timeout: timeout,
                clock: clock, group: &group)
            switch answer {
            case nil:
                logger.debug("UDP tracker request timed out", metadata: ["url": "\(url)", "attempt": "\(attempt)"])
                attempt += 1
            case .error(_, let message)?:
                forgetConnectionID()
                throw TrackerClientError.trackerFailure(message)
            case let response? where response.action == action:
                return response
            case let other?:
                throw TrackerClientError.unexpectedResponse("\(other.action) in answer to \(action)")
            }
        }
        throw TrackerClientError.timedOut
    }

    /// Numeric addresses directly; names through getaddrinfo on NIO's thread pool, off the cooperative pool.
    private func resolve() async throws(TrackerClientError) -> SocketAddress {
        let host = self.host
        let port = self.port
        if let address = try? SocketAddress(ipAddress: host, port: port) { return address }
        do {
            return try await NIOThreadPool.singleton.runIfActive {
                try SocketAddress.makeAddressResolvingHost(host, port: port)
            }
        } catch {
            throw .network("cannot resolve \(host): \(error)")
        }
    }
}

extension UDPTracker where C == ContinuousClock {
    public init(
        url: String, eventLoopGroup: any EventLoopGroup, settings: TrackerClientSettings = .init(), logger: Logger
    ) throws(TrackerClientError) {
        try self.init(
            url: url, eventLoopGroup: eventLoopGroup, settings: settings, clock: ContinuousClock(), logger: logger)
    }
}
