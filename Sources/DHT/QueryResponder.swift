/// The pure half of a DHT node's UDP handler: answers decoded queries from the routing table, the token
/// issuer and the peer store, under a per-address rate limit and the amplification budget. The I/O
/// shell decodes the packet, calls `answer`, and sends the bytes it returns (if any) to the source.
public struct QueryResponder: Sendable {
    public enum Outcome: Hashable, Sendable {
        case reply([UInt8])
        case drop(DropReason)
    }

    public enum DropReason: Hashable, Sendable {
        case rateLimited
        /// Not a query: responses and errors go to the lookups, not here.
        case notAQuery
        /// Not even a bare answer fits the amplification budget.
        case overBudget
        /// A packet that could not be decoded and cannot be answered (not a query, or no `t`).
        case undecodable
    }

    public let ownID: NodeID
    public var tokens: TokenIssuer
    public var peerStore: PeerStore
    public var rateLimiter: DHTRateLimiter
    /// `v` sent in answers (2 client letters and 2 version bytes), or nil.
    public var version: [UInt8]?

    public init(
        ownID: NodeID, tokens: TokenIssuer, peerStore: PeerStore = PeerStore(), rateLimiter: DHTRateLimiter,
        version: [UInt8]? = nil
    ) {
        self.ownID = ownID
        self.tokens = tokens
        self.peerStore = peerStore
        self.rateLimiter = rateLimiter
        self.version = version
    }

    /// Answers `message`, a query of `requestSize` bytes from `source`. Renews the querier in `table` if
    /// it is known there (BEP 5), unless it says it is read-only (BEP 43). `proven`: the caller knows the
    /// source answered one of our queries from that address, though the table keeps no entry for it (it
    /// may be refused there: a second node of its address in a bucket).
    public mutating func answer(
        _ message: KRPCMessage, from source: DHTEndpoint, requestSize: Int, table: inout RoutingTable, now: Double,
        proven: Bool = false, using generator: inout some RandomNumberGenerator
    ) -> Outcome {
        guard case .query(let query) = message.kind else { return .drop(.notAQuery) }
        guard rateLimiter.allow(source.host, now: now) else { return .drop(.rateLimited) }
        if !message.readOnly { table.nodeQueried(CompactNodeInfo(id: query.senderID, endpoint: source), now: now) }
        var verified = proven || table.hasAnswered(from: source)
        let families: [DHTEndpoint.Family] =
            query.want.isEmpty ? [source.family] : [.ipv4, .ipv6].filter(query.want.contains)
        func closest(to target: NodeID) -> [CompactNodeInfo] {
            families.flatMap { table.closest(to: target, family: $0, now: now) }
        }

        var response = KRPCResponse(senderID: ownID)
        switch query.method {
        case .ping:
            break
        case .findNode(let target):
            response.nodes = closest(to: target)
        case .getPeers(let infoHash):
            response.token = tokens.token(for: source.host)
            response.values = peerStore.peers(for: infoHash, family: source.family, now: now, using: &generator)
            response.nodes = closest(to: NodeID(infoHash))
        case .announcePeer(let infoHash, let port, let impliedPort, let token, let seed):
            guard tokens.isValid(token, for: source.host) else {
                return reply(.error(.protocolError("bad token")), to: message, requestSize: requestSize, full: false)
            }
            // The token proves the source receives packets at this address.
            verified = true
            let peer = DHTEndpoint(host: source.host, port: impliedPort ? source.port : port)
            if peer.port != 0 { _ = peerStore.announce(peer, seed: seed, for: infoHash, now: now) }
        }
        // `ip` tells the querier its address as seen from here (BEP 42), for its secure node ID.
        return reply(.response(response), to: message, requestSize: requestSize, full: verified, requester: source)
    }

    /// The answer to a packet that failed to decode: a KRPC error for a query with a usable `t`, within
    /// the rate limit and the size of the packet; nothing otherwise.
    public mutating func answer(
        undecodable error: KRPCDecodingError, from source: DHTEndpoint, requestSize: Int, now: Double
    ) -> Outcome {
        guard let reply = error.reply else { return .drop(.undecodable) }
        guard rateLimiter.allow(source.host, now: now) else { return .drop(.rateLimited) }
        var message = reply
        message.version = version
        guard let bytes = message.encoded(within: ResponseBudget.limit(requestSize: requestSize, sourceVerified: false))
        else { return .drop(.overBudget) }
        return .reply(bytes)
    }

    private func reply(
        _ kind: KRPCMessage.Kind, to query: KRPCMessage, requestSize: Int, full: Bool, requester: DHTEndpoint? = nil
    ) -> Outcome {
        let message = KRPCMessage(
            transactionID: query.transactionID, kind: kind, version: version, requesterAddress: requester)
        guard let bytes = message.encoded(within: ResponseBudget.limit(requestSize: requestSize, sourceVerified: full))
        else { return .drop(.overBudget) }
        return .reply(bytes)
    }
}
