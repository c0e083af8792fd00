import NIOCore
import NIOPosix
import TrackerProtocol

/// A BEP 15 tracker for tests on a loopback address: it hands out connection ids, refuses announces
/// with ids it did not issue, can drop packets to force retransmission, and records every request.
final class UDPTestServer: Sendable {
    struct Behaviour: Sendable {
        /// How many incoming packets to ignore before answering.
        var dropFirst = 0
        /// Ignore everything.
        var dropAll = false
        /// Send an answer with a wrong transaction id before each real answer.
        var sendStrayAnswerFirst = false
        /// Answer announces with these bytes instead of a proper response (the transaction id is kept).
        var malformedAnnounceBody: [UInt8]?
        /// Answer announces with an error packet carrying this message.
        var announceError: String?
        var peers: [PeerEndpoint] = []
        var interval = 1800
    }

    struct State {
        var behaviour: Behaviour
        var received: [UDPTrackerRequest] = []
        /// The address each request came from.
        var sources: [String] = []
        var packetsSeen = 0
        var issuedConnectionIDs: Set<UInt64> = []
        var rejectedConnectionIDs: [UInt64] = []
    }

    private let channel: any Channel
    let state: Locked<State>
    let port: Int
    let host: String

    var url: String { host.contains(":") ? "udp://[\(host)]:\(port)/announce" : "udp://\(host):\(port)/announce" }

    private init(channel: any Channel, state: Locked<State>, host: String) {
        self.channel = channel
        self.state = state
        self.port = channel.localAddress!.port!
        self.host = host
    }

    static func start(host: String = "127.0.0.1", behaviour: Behaviour = Behaviour()) async throws -> UDPTestServer {
        let state = Locked(State(behaviour: behaviour))
        let family: PeerAddressFamily = host.contains(":") ? .ipv6 : .ipv4
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(PacketHandler(state: state, family: family))
                }
            }
            .bind(host: host, port: 0).get()
        return UDPTestServer(channel: channel, state: state, host: host)
    }

    func shutdown() async throws {
        try await channel.close()
    }

    /// Requests of one kind, in arrival order.
    var connects: Int { state.current.received.filter { $0.action == .connect }.count }
    var announces: [AnnounceRequest] {
        state.current.received.compactMap {
            if case .announce(_, _, let request, _) = $0 { return request }
            return nil
        }
    }

    private final class PacketHandler: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        typealias OutboundOut = AddressedEnvelope<ByteBuffer>

        let state: Locked<State>
        let family: PeerAddressFamily

        init(state: Locked<State>, family: PeerAddressFamily) {
            self.state = state
            self.family = family
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            let bytes = Array(envelope.data.readableBytesView)
            guard let request = try? UDPTrackerRequest.decode(bytes) else { return }
            let replies: [[UInt8]] = state.withLock { state in
                state.packetsSeen += 1
                state.received.append(request)
                state.sources.append(envelope.remoteAddress.ipAddress ?? "?")
                if state.behaviour.dropAll || state.packetsSeen <= state.behaviour.dropFirst { return [] }
                var replies: [[UInt8]] = []
                if state.behaviour.sendStrayAnswerFirst {
                    replies.append(
                        UDPTrackerResponse.error(transactionID: request.transactionID &+ 1, message: "stray").encoded())
                }
                replies.append(answer(request, state: &state))
                return replies
            }
            for reply in replies {
                let out = AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: ByteBuffer(bytes: reply))
                context.writeAndFlush(wrapOutboundOut(out), promise: nil)
            }
        }

        private func answer(_ request: UDPTrackerRequest, state: inout State) -> [UInt8] {
            switch request {
            case .connect(let transactionID):
                var id = UInt64.random(in: 1 ... .max)
                while state.issuedConnectionIDs.contains(id) { id = UInt64.random(in: 1 ... .max) }
                state.issuedConnectionIDs.insert(id)
                return UDPTrackerResponse.connect(transactionID: transactionID, connectionID: id).encoded()
            case .announce(let connectionID, let transactionID, _, _):
                guard state.issuedConnectionIDs.contains(connectionID) else {
                    state.rejectedConnectionIDs.append(connectionID)
                    return UDPTrackerResponse.error(transactionID: transactionID, message: "bad connection id")
                        .encoded()
                }
                if let message = state.behaviour.announceError {
                    return UDPTrackerResponse.error(transactionID: transactionID, message: message).encoded()
                }
                if let body = state.behaviour.malformedAnnounceBody {
                    return [0, 0, 0, 1] + withUnsafeBytes(of: transactionID.bigEndian, Array.init) + body
                }
                let response = AnnounceResponse(
                    interval: state.behaviour.interval, complete: 2, incomplete: 3, peers: state.behaviour.peers)
                return UDPTrackerResponse.announce(transactionID: transactionID, response: response)
                    .encoded(peerFamily: family)
            case .scrape(let connectionID, let transactionID, let infoHashes):
                guard state.issuedConnectionIDs.contains(connectionID) else {
                    return UDPTrackerResponse.error(transactionID: transactionID, message: "bad connection id")
                        .encoded()
                }
                let stats = infoHashes.indices.map {
                    ScrapeStats(complete: $0, downloaded: 10 + $0, incomplete: 20 + $0)
                }
                return UDPTrackerResponse.scrape(transactionID: transactionID, stats: stats).encoded()
            }
        }
    }
}
